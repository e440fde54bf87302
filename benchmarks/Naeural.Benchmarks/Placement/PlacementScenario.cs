using System.Diagnostics;
using System.Text.Json.Nodes;
using Akka.Actor;
using Akka.Cluster.Sharding;
using Akka.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Naeural.Actors.Client;
using Naeural.Actors.Commands;
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
    private const int Pipelines = 1_000;
    private const string BaselineType = "pipeline-default-placement";
    private const string DDataBaselineType = "pipeline-default-placement-ddata";
    private const string JournalBaselineType = "pipeline-default-placement-journal";

    /// <param name="replicas">Members holding each of our pipelines (the node's default 3; 1 turns replication off, which
    /// leaves placement alone to compare with the baseline, whose pipelines are never replicated).</param>
    public static async Task RunAsync(int replicas = 3)
    {
        // Each measurement on a fresh network: pipelines placed by an earlier one would otherwise still run (and be
        // gossiped, replicated, passed over by placement) during the next, which would pay for them.
        var developer = new Developer();
        TimeSpan baselinePlace, ddataPlace, journalPlace;
        await using (var network = await StartAsync(replicas))
        {
            baselinePlace = await PlaceBaselineAsync(ClusterSharding.Get(network[0].System).ShardRegion(BaselineType), developer, "base");
            Console.WriteLine($"baseline (Akka defaults: persistence coordinator store): {Pipelines} placed in {baselinePlace.TotalSeconds:F2} s");
        }

        await using (var network = await StartAsync(replicas))
        {
            ddataPlace = await PlaceBaselineAsync(ClusterSharding.Get(network[0].System).ShardRegion(DDataBaselineType), developer, "ddata");
            Console.WriteLine($"baseline (distributed-data coordinator store): {Pipelines} placed in {ddataPlace.TotalSeconds:F2} s");
        }

        await using (var network = await StartAsync(replicas))
        {
            journalPlace = await PlaceBaselineAsync(ClusterSharding.Get(network[0].System).ShardRegion(JournalBaselineType), developer, "journal");
            Console.WriteLine($"baseline (the coordinator store ours uses: the replicated journal): {Pipelines} placed in {journalPlace.TotalSeconds:F2} s");
        }

        await using (var network = await StartAsync(replicas))
        {
            await MeasureOursAsync(network, developer, replicas, baselinePlace, ddataPlace, journalPlace);
        }
    }

    private static async Task<InProcessNetwork> StartAsync(int replicas)
    {
        Console.WriteLine($"starting {Nodes} in-process nodes, each on its own embedded store, {replicas} replica(s) per pipeline…");
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
                    NaeuralAkkaSetup.PipelineShardingSettings(system, resolver.GetService<NodeOptions>()), new PipelineMessageExtractor(),
                    ClusterSharding.Get(system).DefaultShardAllocationStrategy(ClusterShardingSettings.Create(system)), StopEntity.Instance);
            })));
        await WaitForRegionsAsync(network);
        return network;
    }

    private static async Task MeasureOursAsync(InProcessNetwork network, Developer developer, int replicas, TimeSpan baselinePlace, TimeSpan ddataPlace,
        TimeSpan journalPlace)
    {
        var client = NaeuralClient.ForNode(network[0].System, developer.Key, Developer.Options with { RequestTimeout = TimeSpan.FromMinutes(10) });
        var placed = new System.Collections.Concurrent.ConcurrentBag<string>();
        var refused = new System.Collections.Concurrent.ConcurrentBag<string>();
        var oursPlace = await TimeAsync(Enumerable.Range(0, Pipelines).Select(i => (Func<Task>)(async () =>
        {
            var reply = await client.DeployAsync(Spec($"ours-{i:0000}"));
            (reply.Code == NotificationCodes.PipelineOk ? placed : refused).Add(reply.Code == NotificationCodes.PipelineOk ? $"ours-{i:0000}" : reply.Code);
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
        var oursFailover = await oursBack;
        using var process = System.Diagnostics.Process.GetCurrentProcess();

        Console.WriteLine();
        Console.WriteLine($"| measurement ({Nodes} in-process nodes, each its own SQLite store; ours with {replicas} replica(s) per pipeline) | baseline: Akka default strategy | Naeural placement | ratio |");
        Console.WriteLine("| --- | --- | --- | --- |");
        Console.WriteLine($"| place {Pipelines:N0} pipelines (signed creates, answered once running), against Akka's defaults (coordinator state in the oldest node's own journal) | {baselinePlace.TotalSeconds:F2} s ({Pipelines / baselinePlace.TotalSeconds:F0}/s) | {oursPlace.TotalSeconds:F2} s ({placed.Count / oursPlace.TotalSeconds:F0}/s{(refused.IsEmpty ? "" : $"; {refused.Count} refused")}) | {oursPlace / baselinePlace:F2} |");
        Console.WriteLine($"| the same, against Akka's default strategy with Akka's coordinator store for members that share nothing (distributed data) | {ddataPlace.TotalSeconds:F2} s ({Pipelines / ddataPlace.TotalSeconds:F0}/s) | {oursPlace.TotalSeconds:F2} s | {oursPlace / ddataPlace:F2} |");
        Console.WriteLine($"| the same, against Akka's default strategy with the coordinator store ours uses (the replicated journal) | {journalPlace.TotalSeconds:F2} s ({Pipelines / journalPlace.TotalSeconds:F0}/s) | {oursPlace.TotalSeconds:F2} s | {oursPlace / journalPlace:F2} |");
        Console.WriteLine($"| failover: node aborted → all its {oursLost.Count} pipelines running again (goal ≤ 10 s) | n/a (its state stays on the lost node) | {(replicas > 1 ? $"{oursFailover.TotalSeconds:F1} s" : "n/a (no replicas)")} | |");
        Console.WriteLine($"peak memory of the run (working set): {process.PeakWorkingSet64 / (1024 * 1024):N0} MB; GC heap now {GC.GetTotalMemory(false) / (1024 * 1024):N0} MB");
    }

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

    /// <summary>Runs the operations 64 at a time and times them all.</summary>
    private static async Task<TimeSpan> TimeAsync(IEnumerable<Func<Task>> operations)
    {
        using var gate = new SemaphoreSlim(64);
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
        return clock.Elapsed;
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
