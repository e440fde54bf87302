using System.Diagnostics;
using System.Globalization;
using Akka.Actor;
using Akka.Cluster;
using Akka.Cluster.Sharding;
using Naeural.Actors.Client;
using Naeural.Actors.Pipelines;
using Naeural.Testing;

namespace Naeural.Benchmarks.Placement;

/// <summary>
/// Failover on local stores, kill to running, for each failure-detection setting asked for (<c>--unreachable-after</c> /
/// <c>--down-after</c> pairs, the node's defaults first): in-process nodes each on its own SQLite store, pipelines placed
/// by the network, the busiest node other than the seed aborted (a crash), and the clock runs until every pipeline it ran
/// reports Running on a survivor. The seed's view of the victim splits the time: marked unreachable, downed by the
/// split-brain resolver, removed; the rest is sharding's down-removal margin plus waking, gathering and restarting.
/// A scenario rather than a BenchmarkDotNet class: each measurement consumes a network.
/// </summary>
public static class FailoverScenario
{
    private sealed record Settings(int Nodes, int Pipelines, IReadOnlyList<(double Unreachable, double Down)> Detection);

    private sealed record Result(double Unreachable, double Down, int Lost, TimeSpan Marked, TimeSpan Downed, TimeSpan Removed, TimeSpan Running);

    /// <summary><c>failover [--nodes 5] [--pipelines 100] [--detection 3/5,1.5/2]</c> (seconds unreachable-after/down-after).</summary>
    public static async Task RunAsync(IReadOnlyList<string> args)
    {
        var settings = Parse(args);
        var results = new List<Result>();
        foreach (var (unreachable, down) in settings.Detection)
        {
            results.Add(await MeasureAsync(settings, unreachable, down));
        }

        Console.WriteLine();
        Console.WriteLine($"| --unreachable-after / --down-after | pipelines lost | unreachable | downed | removed | all running again (kill → running) |");
        Console.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: |");
        foreach (var r in results)
        {
            Console.WriteLine($"| {r.Unreachable.ToString(CultureInfo.InvariantCulture)} s / {r.Down.ToString(CultureInfo.InvariantCulture)} s | {r.Lost} | " +
                              $"{S(r.Marked)} | {S(r.Downed)} | {S(r.Removed)} | **{S(r.Running)}** |");
        }

        Console.WriteLine($"({settings.Nodes} in-process nodes, each its own SQLite store; {settings.Pipelines} pipelines; times from the abort, as the seed saw them)");
    }

    private static async Task<Result> MeasureAsync(Settings settings, double unreachable, double down)
    {
        Console.WriteLine($"starting {settings.Nodes} in-process nodes (--unreachable-after {unreachable} --down-after {down})…");
        await using var network = await InProcessNetwork.StartAsync(settings.Nodes, _ => new NodeCustomization(
            Options: o => (o.UnreachableAfterSeconds, o.DownAfterSeconds, o.Http.Enabled) = (unreachable, down, false)));
        var seed = network[0];
        var region = ClusterSharding.Get(seed.System).ShardRegion(PipelineEntity.TypeName);
        while ((await region.Ask<CurrentRegions>(GetCurrentRegions.Instance, TimeSpan.FromSeconds(10))).Regions.Count < settings.Nodes)
        {
            await Task.Delay(200);
        }

        var developer = new Developer();
        var client = NaeuralClient.ForNode(seed.System, developer.Key, Developer.Options with { RequestTimeout = TimeSpan.FromMinutes(5) });
        using (var gate = new SemaphoreSlim(32))
        {
            await Task.WhenAll(Enumerable.Range(0, settings.Pipelines).Select(async i =>
            {
                await gate.WaitAsync();
                try
                {
                    await client.DeployAsync($$"""{ "NAME": "f-{{i:0000}}", "TYPE": "Void", "PLUGINS": [ { "SIGNATURE": "COUNTER", "INSTANCES": [ { "INSTANCE_ID": "c" } ] } ] }""");
                }
                finally
                {
                    gate.Release();
                }
            }));
        }

        var ids = Enumerable.Range(0, settings.Pipelines).Select(i => $"{developer.Address.ToLowerInvariant()}/f-{i:0000}").ToList();
        var homes = (await Task.WhenAll(ids.Select(id => region.Ask<PipelineStatusReport>(new GetPipelineStatus(id), TimeSpan.FromSeconds(30)))))
            .ToDictionary(r => r.PipelineId, r => r.NodeId);
        var victim = network.Nodes.Skip(1).MaxBy(n => homes.Values.Count(h => h == n.NodeId))!;
        var lost = homes.Where(h => h.Value == victim.NodeId).Select(h => h.Key).ToList();
        Console.WriteLine($"aborting {victim.NodeId} ({lost.Count} of {settings.Pipelines} pipelines)");

        var clock = Stopwatch.StartNew();
        using var stop = new CancellationTokenSource();
        var phases = WatchAsync(Cluster.Get(seed.System), victim.Address, clock, stop.Token);
        ((ExtendedActorSystem)victim.System).Abort();
        var running = await WaitRunningElsewhereAsync(region, lost, victim.NodeId, clock);
        await stop.CancelAsync();
        var (marked, downed, removed) = await phases;
        var result = new Result(unreachable, down, lost.Count, marked, downed, removed, running);
        Console.WriteLine($"unreachable {S(marked)}, downed {S(downed)}, removed {S(removed)}, all {lost.Count} running again {S(running)}");
        return result;
    }

    /// <summary>When the seed first saw the victim unreachable, down, and gone from the membership.</summary>
    private static async Task<(TimeSpan Marked, TimeSpan Downed, TimeSpan Removed)> WatchAsync(Cluster cluster, Address victim, Stopwatch clock, CancellationToken stop)
    {
        TimeSpan? marked = null, downed = null, removed = null;
        while (!stop.IsCancellationRequested && removed is null)
        {
            var state = cluster.State;
            var member = state.Members.FirstOrDefault(m => m.Address == victim);
            marked ??= state.Unreachable.Any(m => m.Address == victim) ? clock.Elapsed : null;
            downed ??= member is { Status: MemberStatus.Down } ? clock.Elapsed : null;
            removed ??= member is null ? clock.Elapsed : null;
            await Task.Delay(20, CancellationToken.None);
        }

        return (marked ?? TimeSpan.Zero, downed ?? removed ?? TimeSpan.Zero, removed ?? TimeSpan.Zero);
    }

    /// <summary>Polls until every one of <paramref name="pipelines"/> reports Running on a node other than <paramref name="lost"/>.</summary>
    internal static async Task<TimeSpan> WaitRunningElsewhereAsync(IActorRef region, IReadOnlyList<string> pipelines, string lost, Stopwatch clock)
    {
        var pending = pipelines.ToHashSet();
        while (pending.Count > 0)
        {
            var reports = await Task.WhenAll(pending.Select(async id =>
            {
                try
                {
                    return await region.Ask<PipelineStatusReport>(new GetPipelineStatus(id), TimeSpan.FromSeconds(1));
                }
                catch (AskTimeoutException)
                {
                    return null;
                }
            }));
            pending.ExceptWith(reports.Where(r => r is { Status: PipelineStatus.Running } && r.NodeId != lost).Select(r => r!.PipelineId));
            if (clock.Elapsed > TimeSpan.FromMinutes(3))
            {
                throw new TimeoutException($"{pending.Count} pipelines did not come back");
            }

            await Task.Delay(50);
        }

        return clock.Elapsed;
    }

    private static string S(TimeSpan t) => t.TotalSeconds.ToString("F1", CultureInfo.InvariantCulture) + " s";

    private static Settings Parse(IReadOnlyList<string> args)
    {
        var settings = new Settings(5, 100, [(3, 5), (1.5, 2)]);
        for (var i = 0; i + 1 < args.Count; i += 2)
        {
            settings = args[i] switch
            {
                "--nodes" => settings with { Nodes = int.Parse(args[i + 1], CultureInfo.InvariantCulture) },
                "--pipelines" => settings with { Pipelines = int.Parse(args[i + 1], CultureInfo.InvariantCulture) },
                "--detection" => settings with
                {
                    Detection = [.. args[i + 1].Split(',').Select(p => p.Split('/')).Select(p =>
                        (double.Parse(p[0], CultureInfo.InvariantCulture), double.Parse(p[1], CultureInfo.InvariantCulture)))],
                },
                _ => throw new ArgumentException($"failover: unknown option {args[i]} (--nodes, --pipelines, --detection 3/5,1.5/2)"),
            };
        }

        return args.Count % 2 == 0 ? settings : throw new ArgumentException("failover: expected --name value pairs");
    }
}
