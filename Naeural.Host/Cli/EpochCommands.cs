using System.CommandLine;
using System.Numerics;
using Akka.Actor;
using Naeural.Ledger.Billing;
using Naeural.Ledger.Epochs;
using Spectre.Console;

namespace Naeural.Host.Cli;

/// <summary>
/// <c>epoch show|observers|fund</c>: what a node observed and agreed of an epoch and what each node was paid for it; and, for a
/// ledger authority, the observer registry and the epochs' reward pools.
/// </summary>
public static class EpochCommands
{
    public static Command Create()
    {
        var command = new Command("epoch", "Epochs: availability agreed by the nodes, and the rewards it earns") { Show(), Observers(), Fund() };
        foreach (var sub in command.Subcommands)
        {
            LedgerConnection.AddTo(sub);
        }

        return command;
    }

    private static Command Show()
    {
        var epoch = new Argument<long?>("epoch") { Description = "Which epoch; default: the last one the node closed", Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("show", "A closed epoch as the node saw it: its table, the agreed result, signatures, rewards") { epoch };
        command.SetAction((result, token) => CliRun.GuardedAsync(async () =>
        {
            var key = ClientConnection.DeveloperKey(result);
            await using var client = ClientConnection.Connect(result);
            var clock = await client.GetEpochClockAsync(cancellationToken: token);
            var report = await client.GetEpochReportAsync(result.GetValue(epoch), cancellationToken: token);
            var console = CliConsole.Create();
            console.WriteLine($"now: epoch {clock.Current}, ends {clock.End:u} (in {Math.Max(0, (clock.End - DateTimeOffset.UtcNow).TotalSeconds):0} s; epochs last {clock.Length.TotalSeconds:0} s)");
            if (!report.Known)
            {
                console.WriteLine(report.Epoch < 0 ? "this node has not closed an epoch yet" : $"epoch {report.Epoch}: this node did not observe it");
                return 0;
            }

            var ledger = await LedgerConnection.ConnectAsync(result, client, key);
            var registry = await ledger.GetObserversAsync(token);
            var nodes = (report.OwnTable?.Table.Keys ?? []).Union(report.Result?.Agreed.Keys ?? []).Order(StringComparer.OrdinalIgnoreCase).ToList();
            var table = CliConsole.Table("NODE", ">OWN TABLE", ">AGREED", ">POOL", ">REWARD CLAIMED");
            foreach (var node in nodes)
            {
                var reward = await ledger.GetEpochRewardAsync(report.Epoch, node, token);
                table.Row(node, ValueOf(report.OwnTable?.Table, node), ValueOf(report.Result?.Agreed, node), reward.Pool, reward.Claimed);
            }

            console.WriteLine($"epoch {report.Epoch} (availability 0-255 per node: 255 = up the whole epoch)");
            console.Write(table);
            console.WriteLine(report.Result is null
                ? "no agreed result: fewer than a majority of the observers shared their tables"
                : $"result signed by {report.Signatures.Length} observer(s); a claim needs {registry.Threshold} of the {registry.Observers.Length} registered");
            return 0;
        }));
        return command;
    }

    private static Command Observers()
    {
        var observers = new Argument<string>("observers") { Description = "The observer node ids, comma-separated" };
        var threshold = new Option<int>("--threshold") { Description = "Distinct observer signatures a reward claim needs", Required = true };
        var command = new Command("observers", "As a ledger authority: register the observers whose signatures count on epoch results") { observers, threshold };
        command.SetAction((result, token) => CliRun.GuardedAsync(async () =>
        {
            var key = ClientConnection.DeveloperKey(result);
            await using var client = ClientConnection.Connect(result);
            var list = result.GetValue(observers)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            await (await LedgerConnection.ConnectAsync(result, client, key)).SetObserversAsync(list, result.GetValue(threshold), token);
            Console.WriteLine($"{list.Length} observer(s) registered; a claim needs {result.GetValue(threshold)} of their signatures");
            return 0;
        }));
        return command;
    }

    private static Command Fund()
    {
        var epoch = new Argument<string>("epoch") { Description = "An epoch number, or current, or next" };
        var amount = new Argument<string>("amount") { Description = "The epoch's reward pool, minted once" };
        var command = new Command("fund", "As a ledger authority: mint an epoch's reward pool") { epoch, amount };
        command.SetAction((result, token) => CliRun.GuardedAsync(async () =>
        {
            var key = ClientConnection.DeveloperKey(result);
            await using var client = ClientConnection.Connect(result);
            var clock = await client.GetEpochClockAsync(cancellationToken: token);
            var which = result.GetValue(epoch)!.ToLowerInvariant() switch
            {
                "current" => clock.Current,
                "next" => clock.Current + 1,
                var n => long.Parse(n),
            };
            await (await LedgerConnection.ConnectAsync(result, client, key)).FundEpochAsync(which, BigInteger.Parse(result.GetValue(amount)!), token);
            Console.WriteLine($"epoch {which}'s pool is {result.GetValue(amount)}; it ends {clock.Start + (clock.Length * (which - clock.Current + 1)):u}");
            return 0;
        }));
        return command;
    }

    private static byte? ValueOf(System.Collections.Immutable.ImmutableSortedDictionary<string, byte>? table, string node) =>
        table is not null && table.TryGetValue(node, out var value) ? value : null;
}
