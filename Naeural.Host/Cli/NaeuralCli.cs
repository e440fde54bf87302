using System.CommandLine;
using Microsoft.Extensions.Hosting;
using Naeural.Host.Hosting;

namespace Naeural.Host.Cli;

/// <summary>
/// The node executable's command line. Without a verb (or with <c>node run</c>) it runs a node, taking the node flags
/// (<see cref="CommandLineFlags"/>); the other verbs are a developer's tools that talk to a running node.
/// </summary>
public static class NaeuralCli
{
    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length == 0 || args[0].StartsWith('-') && args[0] is not ("--help" or "-h" or "-?"))
        {
            return await RunNodeAsync(args);
        }

        return await Commands().Parse(args).InvokeAsync();
    }

    /// <summary>Every verb of the command line (what <c>--help</c> lists).</summary>
    public static RootCommand Commands()
    {
        var root = new RootCommand("Naeural.NET: a node of the decentralized AI execution network, and the tools to use it.");
        root.Subcommands.Add(NodeCommand());
        root.Subcommands.Add(NodesCommand.Create());
        root.Subcommands.Add(PipelineCommands.Create());
        root.Subcommands.Add(PayloadsCommand.Create());
        root.Subcommands.Add(ChannelCommands.Create());
        root.Subcommands.Add(LedgerCommands.Create());
        root.Subcommands.Add(EpochCommands.Create());
        root.Subcommands.Add(TrainCommand.Create());
        root.Subcommands.Add(BenchCommand.Create());
        root.Subcommands.Add(LedgerCommands.Key());
        return root;
    }

    private static Command NodeCommand()
    {
        var run = new Command("run", "Run a node (the default without a verb). Node flags: " + string.Join(", ", CommandLineFlags.Mappings.Keys))
        {
            TreatUnmatchedTokensAsErrors = false,
        };
        run.SetAction((result, _) => RunNodeAsync([.. result.UnmatchedTokens]));
        return new Command("node", "Run a node") { run };
    }

    private static async Task<int> RunNodeAsync(string[] flags)
    {
        using var host = NodeHost.Build(flags);
        await host.RunAsync();
        return 0;
    }
}
