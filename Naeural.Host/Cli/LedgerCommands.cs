using System.CommandLine;
using System.Numerics;
using Spectre.Console;
using Naeural.Ledger.Billing;
using Naeural.Ledger.Channels;

namespace Naeural.Host.Cli;

/// <summary><c>ledger balance|mint</c> and <c>key</c>: token balances on the network's embedded ledger, and who you are.</summary>
public static class LedgerCommands
{
    public static Command Create()
    {
        var address = new Argument<string?>("address") { Description = "Whose balance; default: yours", Arity = ArgumentArity.ZeroOrOne };
        var balance = new Command("balance", "A token balance on the embedded ledger") { address };
        balance.SetAction((result, token) => CliRun.GuardedAsync(async () =>
        {
            var key = ClientConnection.DeveloperKey(result);
            await using var client = ClientConnection.Connect(result);
            var who = result.GetValue(address) ?? key.Address;
            Console.WriteLine($"{who}: {await (await LedgerConnection.ConnectAsync(result, client, key)).BalanceOfAsync(who, token)}");
            return 0;
        }));

        var to = new Argument<string>("address") { Description = "Who receives the tokens" };
        var amount = new Argument<string>("amount") { Description = "How many (in the smallest unit)" };
        var mint = new Command("mint", "As a mint authority of the network (--mint-authority on its nodes): create tokens") { to, amount };
        mint.SetAction((result, token) => CliRun.GuardedAsync(async () =>
        {
            var key = ClientConnection.DeveloperKey(result);
            await using var client = ClientConnection.Connect(result);
            var ledger = await LedgerConnection.ConnectAsync(result, client, key);
            await ledger.MintAsync(result.GetValue(to)!, BigInteger.Parse(result.GetValue(amount)!), token);
            Console.WriteLine($"minted {result.GetValue(amount)} to {result.GetValue(to)}: balance {await ledger.BalanceOfAsync(result.GetValue(to)!, token)}");
            return 0;
        }));

        var command = new Command("ledger", "Token balances on the network's ledger (embedded, or the contract with --evm-url)") { balance, mint };
        foreach (var sub in command.Subcommands)
        {
            LedgerConnection.AddTo(sub);
        }

        command.Subcommands.Add(Deploy());
        return command;
    }

    /// <summary><c>ledger deploy --evm-url URL</c>: puts the NaeuralLedger contract on a chain, owned by the developer's key.</summary>
    private static Command Deploy()
    {
        var command = new Command("deploy", "Deploy the NaeuralLedger contract on an EVM chain from your key (you become its owner: you mint, register observers, fund epochs)");
        command.Options.Add(ClientConnection.Key);
        command.Options.Add(LedgerConnection.EvmUrl);
        var unlessAt = new Option<string>("--unless-at")
        {
            Description = "Deploy nothing when your NaeuralLedger is already at this address (a deployment script run again)",
        };
        command.Options.Add(unlessAt);
        command.SetAction((result, token) => CliRun.GuardedAsync(async () =>
        {
            var url = result.GetValue(LedgerConnection.EvmUrl) ?? throw new ArgumentException("--evm-url is required: the chain's JSON-RPC URL");
            var key = ClientConnection.DeveloperKey(result);
            var chainId = await new Nethereum.Web3.Web3(url).Eth.ChainId.SendRequestAsync();
            var owner = new Nethereum.Web3.Accounts.Account(key.ExportPrivateKeyHex(), chainId.Value);
            var existing = result.GetValue(unlessAt);
            var (ledger, deployed) = await CliConsole.Create().Status().StartAsync("deploying NaeuralLedger…", async _ => existing is null
                ? (await EvmSettlement.DeployAsync(url, ContractArtifact.Embedded, owner, _ => null), true)
                : await EvmSettlement.DeployUnlessPresentAsync(url, ContractArtifact.Embedded, owner, existing, _ => null));
            Console.WriteLine(deployed
                ? $"NaeuralLedger deployed at {ledger.ContractAddress} on chain {chainId.Value}, owned by {key.Address}"
                : $"NaeuralLedger already at {ledger.ContractAddress} on chain {chainId.Value}, owned by {key.Address}: nothing deployed");
            Console.WriteLine($"  nodes: --settlement evm --evm-url {url} --evm-contract {ledger.ContractAddress} --evm-chain-id {chainId.Value}");
            return 0;
        }));
        return command;
    }

    /// <summary><c>key</c>: the developer's address (the owner of what they deploy), creating the key on first use.</summary>
    public static Command Key()
    {
        var command = new Command("key", "Show your developer address (the key is created on first use)");
        command.Options.Add(ClientConnection.Key);
        command.SetAction(result =>
        {
            Console.WriteLine(ClientConnection.DeveloperKey(result).Address);
            return 0;
        });
        return command;
    }
}
