using Akka.Hosting;
using Naeural.Ledger.Channels;
using Naeural.Ledger.Identity;

namespace Naeural.Host.Hosting;

/// <summary>
/// Where this node settles its channels, claims its rewards and reads the ledger, signing with its own key: the embedded
/// ledger singleton (through its proxy) or the NaeuralLedger contract on an EVM chain (<c>--settlement evm</c>).
/// </summary>
public static class NodeSettlement
{
    public static ISettlementBackend Create(NodeOptions options, NodeKey identity, IReadOnlyActorRegistry registry)
    {
        if (!options.Ledger.IsEvm)
        {
            return new SignedEmbeddedSettlement(registry.Get<LedgerGate>(), identity, options.NetworkId);
        }

        var account = new Nethereum.Web3.Accounts.Account(identity.ExportPrivateKeyHex(), options.Ledger.EvmChainId);
        return EvmSettlement.Attach(options.Ledger.EvmUrl!, ContractArtifact.Embedded, options.Ledger.EvmContract!, options.Ledger.EvmChainId,
            address => string.Equals(address, identity.Address, StringComparison.OrdinalIgnoreCase) ? account : null);
    }
}
