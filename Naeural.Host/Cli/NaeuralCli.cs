using System.CommandLine;
using Akka.Actor;
using Microsoft.Extensions.DependencyInjection;
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

    /// <summary>How long a stopped node may take to release its services before the process ends anyway.</summary>
    private static readonly TimeSpan DisposeTimeout = TimeSpan.FromSeconds(10);

    /// <summary>From Ctrl+C, how long the node may take to stop in all (the host's own shutdown timeout is 30 s) before it is ended.</summary>
    private static readonly TimeSpan StopDeadline = TimeSpan.FromSeconds(45);

    /// <summary>
    /// Runs a node until Ctrl+C (or SIGTERM): the host stops its services within its shutdown timeout; then the process ends,
    /// even if a service did not let go in time (it says so), so that Ctrl+C always stops a node, like a service manager's
    /// stop timeout would.
    /// </summary>
    private static async Task<int> RunNodeAsync(string[] flags)
    {
        var host = NodeHost.Build(flags);
        var system = host.Services.GetRequiredService<ActorSystem>();
        host.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping.Register(() => _ = Task.Delay(StopDeadline).ContinueWith(_ =>
        {
            Console.Error.WriteLine($"naeural: the node did not stop within {StopDeadline.TotalSeconds:0} s of being asked to; exiting anyway");
            Environment.Exit(ExitCode(system));
        }, TaskScheduler.Default));
        await host.RunAsync();
        var disposed = Task.Run(host.Dispose);
        if (await Task.WhenAny(disposed, Task.Delay(DisposeTimeout)) != disposed)
        {
            await Console.Error.WriteLineAsync($"naeural: the node's services did not let go within {DisposeTimeout.TotalSeconds:0} s of stopping; exiting anyway");
            Environment.Exit(ExitCode(system));
        }

        return ExitCode(system);
    }

    /// <summary>
    /// 0 when the node was asked to stop (Ctrl+C, SIGTERM); 1 when the network removed it (its members downed it, or it could
    /// not join), so that a service manager that restarts on failure (docker-compose's <c>on-failure</c>, systemd's
    /// <c>Restart=on-failure</c>) brings it back: a node frozen for a while, then downed, rejoins by itself.
    /// </summary>
    private static int ExitCode(ActorSystem system)
    {
        var reason = CoordinatedShutdown.Get(system).ShutdownReason;
        if (reason is not (CoordinatedShutdown.ClusterDowningReason or CoordinatedShutdown.ClusterJoinUnsuccessfulReason))
        {
            return 0;
        }

        Console.Error.WriteLine($"naeural: the network removed this node ({reason.GetType().Name}); exiting with 1 so that a service manager restarts it");
        return 1;
    }
}
