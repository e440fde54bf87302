using Akka.Hosting;
using Naeural.Ledger.Channels;
using Naeural.Ledger.Identity;
using Naeural.Actors.Security;

namespace Naeural.Host.Hosting;

/// <summary>
/// Where this node settles its channels, claims its rewards and reads the ledger, signing with its own key: the embedded
/// ledger singleton (through its proxy) or the NaeuralLedger contract on an EVM chain (<c>--settlement evm</c>). One per
/// node (in its services), shared by its channels, licence watch, epoch rewards and HTTP API: one chain client, one nonce
/// sequence for its transactions.
/// </summary>
public sealed class NodeSettlement(NodeOptions options, NodeKey identity)
{
    private readonly Lock _lock = new();
    private ISettlementBackend? _backend;

    /// <summary>The node's backend, made on first use; the embedded ledger's proxy must be in <paramref name="registry"/> by then.</summary>
    public ISettlementBackend Backend(IReadOnlyActorRegistry registry)
    {
        lock (_lock)
        {
            return _backend ??= Create(registry);
        }
    }

    private ISettlementBackend Create(IReadOnlyActorRegistry registry)
    {
        if (!options.Ledger.IsEvm)
        {
            return new SignedEmbeddedSettlement(registry.Get<LedgerGate>(), identity, options.NetworkId);
        }

        var account = new Nethereum.Web3.Accounts.Account(identity.ExportPrivateKeyHex(), options.Ledger.EvmChainId);
        return EvmSettlement.Attach(options.Ledger.EvmUrl!, ContractArtifact.Embedded, options.Ledger.EvmContract!, options.Ledger.EvmChainId,
            address => AccountAddress.Same(address, identity.Address) ? account : null);
    }
}
