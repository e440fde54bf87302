using System.CommandLine;
using Naeural.Actors.Client;
using Naeural.Ledger.Billing;
using Naeural.Ledger.Channels;
using Naeural.Ledger.Identity;
using Naeural.Actors.Security;

namespace Naeural.Host.Cli;

/// <summary>
/// Which settlement layer the ledger verbs (<c>channel</c>, <c>ledger</c>, <c>epoch</c>) act on, as the developer: the network's
/// embedded ledger through the node (default), or, with <c>--evm-url</c> and <c>--evm-contract</c>, the NaeuralLedger contract on
/// an EVM chain, in transactions signed with the developer's key (which then needs gas there).
/// </summary>
public static class LedgerConnection
{
    public static readonly Option<string?> EvmUrl = new("--evm-url")
    {
        Description = "Act on the NaeuralLedger contract on this chain (JSON-RPC URL) instead of the embedded ledger",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("NAEURAL_EVM_URL"),
    };

    public static readonly Option<string?> EvmContract = new("--evm-contract")
    {
        Description = "The contract's address (with --evm-url)",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("NAEURAL_EVM_CONTRACT"),
    };

    public static void AddTo(Command command)
    {
        ClientConnection.AddTo(command);
        command.Options.Add(EvmUrl);
        command.Options.Add(EvmContract);
    }

    /// <summary>The settlement layer, acting as <paramref name="developer"/>.</summary>
    public static async Task<ISettlementBackend> ConnectAsync(ParseResult result, NaeuralClient client, NodeKey developer)
    {
        if (result.GetValue(EvmUrl) is not { } url)
        {
            return client.Ledger(developer);
        }

        var contract = result.GetValue(EvmContract) ?? throw new ArgumentException("--evm-url needs --evm-contract (the address `ledger deploy` printed)");
        var probe = await EvmSettlement.AttachAsync(url, ContractArtifact.Embedded, contract, _ => null);
        var account = probe.AccountOf(developer.ExportPrivateKeyHex());
        return await EvmSettlement.AttachAsync(url, ContractArtifact.Embedded, contract,
            address => AccountAddress.Same(address, developer.Address) ? account : null, owner: account);
    }
}
