using System.Diagnostics;
using System.Text.Json.Nodes;
using Akka.Actor;
using Akka.Cluster.Sharding;
using Akka.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Naeural.Actors.Client;
using Naeural.Actors.Commands;
using Naeural.Actors.Hosting;
using Naeural.Actors.Pipelines;
using Naeural.Actors.Sharding;
using Naeural.Benchmarks.Kernel;
using Naeural.Host.Hosting;
using Naeural.Testing;

namespace Naeural.Benchmarks.Placement;

/// <summary>
/// Placement and failover on 10 in-process nodes, each with only its own embedded store (shared nothing). Placement, beside
/// two baselines in the same run: the same pipeline entities in further regions that plain Akka sharding places with its
/// default (least-shards) strategy, one with Akka's default coordinator store (persistence: here the oldest node's own
/// journal, which a shared-nothing network can't rely on: the state is lost when the coordinator moves) and one with the
/// store Akka offers for that case (distributed data: every allocation a majority write of the coordinator's whole state;
/// ours keeps one event per allocation in the replicated journal of the oldest member's singletons), and one with that
/// same journal, to compare the strategies alone;
/// wall time for 1,000 signed creates, each answered once its pipeline runs (ours goes
/// through the front door: spec check, a home chosen from the front door's own view, the create handed to it). The rate
/// and the process's peak memory are printed. Failover: one node is aborted (a crash) and the clock runs until every
/// pipeline it ran answers "running" from a survivor; measured for ours only (on local stores Akka's default brings no
/// pipeline's state to another node), against the goal (10 s) and the anchors named in the README.
/// A scenario rather than a BenchmarkDotNet class: each measurement consumes a network (it kills a node).
/// </summary>
public static class PlacementScenario
{
    private const int Nodes = 10;
    private const string BaselineType = "pipeline-default-placement";
    private const string DDataBaselineType = "pipeline-default-placement-ddata";
    private const string JournalBaselineType = "pipeline-default-placement-journal";

    /// <summary>What one run measures.</summary>
    /// <param name="Replicas">Members holding each of our pipelines (the node's default 3; 1 turns replication off, which
    /// leaves placement alone to compare with the baselines, whose pipelines are never replicated).</param>
    /// <param name="Baselines">Which baselines to measure (<c>persistence</c>, <c>ddata</c>, <c>journal</c>); null: all.</param>
    /// <param name="Pipelines">Creates per measurement.</param>
    /// <param name="InFlight">Creates in flight at once.</param>
    /// <param name="Rounds">Rounds, each every selected baseline then ours on fresh networks; the table shows medians (a
    /// 2-core VM hosting ten nodes varies by a third from one measurement to the next) and every value.</param>
    public sealed record Run(int Replicas = 3, IReadOnlySet<string>? Baselines = null, int Pipelines = 1_000, int InFlight = 64, int Rounds = 3);

    private sealed record Ours(TimeSpan Place, int Placed, int Refused, int Lost, TimeSpan? Failover);

    private static Run _run = new();

    private static int Pipelines => _run.Pipelines;

    public static async Task RunAsync(Run run)
    {
        _run = run;
        // Each measurement on a fresh network: pipelines placed by an earlier one would otherwise still run (and be
        // gossiped, replicated, passed over by placement) during the next, which would pay for them. The distributed-data
        // baseline is slow (about a minute) and far from ours: measured in the first round only.
        var developer = new Developer();
        var baselines = new Dictionary<string, List<TimeSpan>>();
        var ours = new List<Ours>();
        for (var round = 1; round <= run.Rounds; round++)
        {
            // Ours last in odd rounds, first in even ones: what a disposed network leaves behind in the process (garbage,
            // threads winding down) weighs on whatever runs later.
            Console.WriteLine($"round {round} of {run.Rounds}");
            if (round % 2 == 0)
            {
                await OursAsync();
            }

            await BaselineAsync("persistence", BaselineType, "Akka defaults: persistence coordinator store");
            if (round == 1)
            {
                await BaselineAsync("ddata", DDataBaselineType, "distributed-data coordinator store");
            }

            await BaselineAsync("journal", JournalBaselineType, "the coordinator store ours uses: the replicated journal");
            if (round % 2 == 1)
            {
                await OursAsync();
            }
        }

        Report(baselines, ours);

        async Task OursAsync()
        {
            await using var network = await StartAsync(run.Replicas);
            ours.Add(await MeasureOursAsync(network, developer, run.Replicas));
        }

        async Task BaselineAsync(string name, string type, string description)
        {
            if (run.Baselines is not null && !run.Baselines.Contains(name))
            {
                return;
            }

            await using var network = await StartAsync(run.Replicas);
            var took = await PlaceBaselineAsync(ClusterSharding.Get(network[0].System).ShardRegion(type), developer, $"{name}-{Guid.NewGuid():N}"[..16]);
            Console.WriteLine($"baseline ({description}): {Pipelines} placed in {took.TotalSeconds:F2} s");
            (baselines.TryGetValue(name, out var times) ? times : baselines[name] = []).Add(took);
        }
    }

    private static void Report(Dictionary<string, List<TimeSpan>> baselines, List<Ours> ours)
    {
        using var process = Process.GetCurrentProcess();
        var oursPlace = Median(ours.Select(o => o.Place));
        var placed = ours.Sum(o => o.Placed);
        var refused = ours.Sum(o => o.Refused);
        Console.WriteLine();
        Console.WriteLine($"| measurement ({Nodes} in-process nodes, each its own SQLite store; ours with {_run.Replicas} replica(s) per pipeline; {_run.InFlight} in flight; median of {ours.Count} round(s)) | baseline: Akka default strategy | Naeural placement | ratio of medians |");
        Console.WriteLine("| --- | --- | --- | --- |");
        var oursText = $"{Seconds(oursPlace)} ({Pipelines / oursPlace.TotalSeconds:F0}/s; all: {string.Join(", ", ours.Select(o => Seconds(o.Place)))}; " +
                       $"{placed} of {Pipelines * ours.Count} placed{(refused == 0 ? "" : $", {refused} refused")})";
        Console.WriteLine(Row($"place {Pipelines:N0} pipelines (signed creates, answered once running), against Akka's defaults (coordinator state in the oldest node's own journal)",
            baselines.GetValueOrDefault("persistence"), oursPlace, oursText));
        Console.WriteLine(Row("the same, against Akka's default strategy with Akka's coordinator store for members that share nothing (distributed data)",
            baselines.GetValueOrDefault("ddata"), oursPlace, Seconds(oursPlace)));
        Console.WriteLine(Row("the same, against Akka's default strategy with the coordinator store ours uses (the replicated journal)",
            baselines.GetValueOrDefault("journal"), oursPlace, Seconds(oursPlace)));
        var failovers = ours.Where(o => o.Failover is not null).ToList();
        Console.WriteLine($"| failover: node aborted → all its pipelines ({string.Join(", ", ours.Select(o => o.Lost))}) running again (goal ≤ 10 s) | n/a (its state stays on the lost node) | " +
                          $"{(failovers.Count == 0 ? "n/a (no replicas)" : string.Join(", ", failovers.Select(o => $"{o.Failover!.Value.TotalSeconds:F1} s")))} | |");
        Console.WriteLine($"peak memory of the run (working set): {process.PeakWorkingSet64 / (1024 * 1024):N0} MB; GC heap now {GC.GetTotalMemory(false) / (1024 * 1024):N0} MB");
    }

    private static TimeSpan Median(IEnumerable<TimeSpan> times)
    {
        var sorted = times.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private static string Seconds(TimeSpan time) => $"{time.TotalSeconds:F2} s";

    private static async Task<InProcessNetwork> StartAsync(int replicas)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        using (var process = Process.GetCurrentProcess())
        {
            Console.WriteLine($"starting {Nodes} in-process nodes, each on its own embedded store, {replicas} replica(s) per pipeline " +
                              $"(process before: {process.Threads.Count} threads, GC heap {GC.GetTotalMemory(false) / (1024 * 1024):N0} MB)…");
        }

        var network = await InProcessNetwork.StartAsync(Nodes, _ => new NodeCustomization(
            // 10 members on a small machine: a little more patient failure detection than the default 3 s.
            Options: o => (o.Rebalance, o.UnreachableAfterSeconds, o.PipelineReplicas) = (false, 4, replicas),
            Akka: akka => akka.AddHocon(BenchmarkRegions.TrustedPathsWith(BaselineType, DDataBaselineType, JournalBaselineType), HoconAddMode.Prepend).WithActors((system, registry, resolver) =>
            {
                // Not replicated: replica holders would wake the baseline's pipelines in our region too (one id, two entities).
                var services = resolver.GetService<PipelineServices>() with { Replicated = false };
                ClusterSharding.Get(system).Start(BaselineType, id => PipelineEntity.Props(id, services),
                    ClusterShardingSettings.Create(system).WithRememberEntities(true), new PipelineMessageExtractor(),
                    ClusterSharding.Get(system).DefaultShardAllocationStrategy(ClusterShardingSettings.Create(system)), StopEntity.Instance);
                ClusterSharding.Get(system).Start(DDataBaselineType, id => PipelineEntity.Props(id, services),
                    ClusterShardingSettings.Create(system).WithRememberEntities(true).WithStateStoreMode(StateStoreMode.DData), new PipelineMessageExtractor(),
                    ClusterSharding.Get(system).DefaultShardAllocationStrategy(ClusterShardingSettings.Create(system)), StopEntity.Instance);
                ClusterSharding.Get(system).Start(JournalBaselineType, id => PipelineEntity.Props(id, services),
                    KernelHosting.PipelineShardingSettings(system, NaeuralAkkaSetup.CoordinatorJournal(resolver.GetService<NodeOptions>())), new PipelineMessageExtractor(),
                    ClusterSharding.Get(system).DefaultShardAllocationStrategy(ClusterShardingSettings.Create(system)), StopEntity.Instance);
            })));
        await WaitForRegionsAsync(network);
        return network;
    }

    private static async Task<Ours> MeasureOursAsync(InProcessNetwork network, Developer developer, int replicas)
    {
        var client = NaeuralClient.ForNode(network[0].System, developer.Key, Developer.Options with { RequestTimeout = TimeSpan.FromMinutes(10) });
        var prefix = $"ours-{Guid.NewGuid():N}"[..13];
        var placed = new System.Collections.Concurrent.ConcurrentBag<string>();
        var refused = new System.Collections.Concurrent.ConcurrentBag<string>();
        var oursPlace = await TimeAsync(Enumerable.Range(0, Pipelines).Select(i => (Func<Task>)(async () =>
        {
            var reply = await client.DeployAsync(Spec($"{prefix}-{i:0000}"));
            (reply.Code == NotificationCodes.PipelineOk ? placed : refused).Add(reply.Code == NotificationCodes.PipelineOk ? $"{prefix}-{i:0000}" : reply.Code);
        })));

        // A create that is refused (e.g. DEPLOY_TIMEOUT) is reported, not hidden: the rate counts only those placed.
        var refusals = string.Join(", ", refused.GroupBy(c => c).Select(g => $"{g.Key} × {g.Count()}"));
        Console.WriteLine($"ours: {placed.Count} of {Pipelines} placed in {oursPlace.TotalSeconds:F2} s{(refused.IsEmpty ? "" : $"; refused: {refusals}")}");
        var survivor = network[0];
        var ours = await HomesAsync(survivor, ClusterSharding.Get(survivor.System).ShardRegion(PipelineEntity.TypeName), developer, placed);
        Console.WriteLine($"ours per node: {string.Join(", ", ours.GroupBy(h => h.Value).Select(g => g.Count()).Order())}");

        // The victim: the node running the most of our pipelines, never the oldest (it runs the shard coordinators).
        var victim = network.Nodes.Skip(1).MaxBy(n => ours.Count(h => h.Value == n.NodeId))!;
        var oursLost = ours.Where(h => h.Value == victim.NodeId).Select(h => h.Key).ToList();
        Console.WriteLine($"aborting {victim.NodeId}: {oursLost.Count} of our pipelines");
        var clock = Stopwatch.StartNew();
        // Without replicas a lost node's pipelines stay lost on local stores: no failover to time.
        var oursBack = replicas > 1
            ? FailoverScenario.WaitRunningElsewhereAsync(ClusterSharding.Get(survivor.System).ShardRegion(PipelineEntity.TypeName), oursLost, victim.NodeId, clock)
            : Task.FromResult(TimeSpan.Zero);
        ((ExtendedActorSystem)victim.System).Abort();
        var failover = await oursBack;
        if (replicas > 1)
        {
            Console.WriteLine($"failover: all {oursLost.Count} running again {failover.TotalSeconds:F1} s after the abort");
        }

        return new Ours(oursPlace, placed.Count, refused.Count, oursLost.Count, replicas > 1 ? failover : null);
    }

    private static string Row(string measurement, List<TimeSpan>? baseline, TimeSpan ours, string oursText) => baseline is { Count: > 0 }
        ? $"| {measurement} | {Seconds(Median(baseline))} ({Pipelines / Median(baseline).TotalSeconds:F0}/s; all: {string.Join(", ", baseline.Select(Seconds))}) | {oursText} | {ours / Median(baseline):F2} |"
        : $"| {measurement} | not run | {oursText} | |";

    private static Task<TimeSpan> PlaceBaselineAsync(IActorRef region, Developer developer, string prefix) =>
        TimeAsync(Enumerable.Range(0, Pipelines).Select(i => (Func<Task>)(async () =>
        {
            var name = $"{prefix}-{i:0000}";
            var command = SignedCommand.Create(PipelineActions.Create, name, JsonNode.Parse(Spec(name)), developer.Key, DateTimeOffset.UtcNow);
            var reply = await region.Ask<object>(new PipelineCommandRequest($"{developer.Address.ToLowerInvariant()}/{name}", command), TimeSpan.FromMinutes(10));
            _ = reply as CommandAccepted ?? throw new InvalidOperationException($"baseline create refused: {reply}");
        })));

    private static string Spec(string name) =>
        $$"""{ "NAME": "{{name}}", "TYPE": "Void", "PLUGINS": [ { "SIGNATURE": "COUNTER", "INSTANCES": [ { "INSTANCE_ID": "c" } ] } ] }""";

    /// <summary>
    /// Runs the operations <see cref="Run.InFlight"/> at a time and times them all; prints the process's CPU time over them (all ten nodes): near
    /// wall time × cores means the run was bound by CPU, well under it by waits (a serial step, a store).
    /// </summary>
    private static async Task<TimeSpan> TimeAsync(IEnumerable<Func<Task>> operations)
    {
        using var gate = new SemaphoreSlim(_run.InFlight);
        using var process = Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(operations.Select(async operation =>
        {
            await gate.WaitAsync();
            try
            {
                await operation();
            }
            finally
            {
                gate.Release();
            }
        }));
        var elapsed = clock.Elapsed;
        process.Refresh();
        var used = process.TotalProcessorTime - cpu;
        Console.WriteLine($"  cpu {used.TotalSeconds:F1} s over {elapsed.TotalSeconds:F1} s ({used / elapsed / Environment.ProcessorCount:P0} of {Environment.ProcessorCount} cores; {used.TotalMilliseconds / Pipelines:F0} ms a create)");
        return elapsed;
    }

    private static async Task<Dictionary<string, string>> HomesAsync(InProcessNode node, IActorRef region, Developer developer, IEnumerable<string> names)
    {
        var ids = names.Select(name => $"{developer.Address.ToLowerInvariant()}/{name}");
        var reports = await Task.WhenAll(ids.Select(id => region.Ask<PipelineStatusReport>(new GetPipelineStatus(id), TimeSpan.FromSeconds(30))));
        return reports.ToDictionary(r => r.PipelineId, r => r.NodeId);
    }

    private static async Task WaitForRegionsAsync(InProcessNetwork network)
    {
        foreach (var type in new[] { PipelineEntity.TypeName, BaselineType, DDataBaselineType, JournalBaselineType })
        {
            var region = ClusterSharding.Get(network[0].System).ShardRegion(type);
            var clock = Stopwatch.StartNew();
            int count;
            while ((count = (await region.Ask<CurrentRegions>(GetCurrentRegions.Instance, TimeSpan.FromSeconds(10))).Regions.Count) < Nodes)
            {
                if (clock.Elapsed > TimeSpan.FromMinutes(2))
                {
                    throw new TimeoutException($"only {count} of {Nodes} {type} regions registered after 2 minutes");
                }

                await Task.Delay(200);
            }
        }
    }

}
