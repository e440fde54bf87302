using System.CommandLine;
using System.Numerics;
using Naeural.Ledger.Billing;

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
            Console.WriteLine($"{who}: {await client.Ledger(key).BalanceOfAsync(who, token)}");
            return 0;
        }));

        var to = new Argument<string>("address") { Description = "Who receives the tokens" };
        var amount = new Argument<string>("amount") { Description = "How many (in the smallest unit)" };
        var mint = new Command("mint", "As a mint authority of the network (--mint-authority on its nodes): create tokens") { to, amount };
        mint.SetAction((result, token) => CliRun.GuardedAsync(async () =>
        {
            var key = ClientConnection.DeveloperKey(result);
            await using var client = ClientConnection.Connect(result);
            var ledger = client.Ledger(key);
            await ledger.MintAsync(result.GetValue(to)!, BigInteger.Parse(result.GetValue(amount)!), token);
            Console.WriteLine($"minted {result.GetValue(amount)} to {result.GetValue(to)}: balance {await ledger.BalanceOfAsync(result.GetValue(to)!, token)}");
            return 0;
        }));

        var command = new Command("ledger", "Token balances on the network's embedded ledger") { balance, mint };
        foreach (var sub in command.Subcommands)
        {
            ClientConnection.AddTo(sub);
        }

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
