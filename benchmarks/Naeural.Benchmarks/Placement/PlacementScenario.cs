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
using Naeural.Testing;

namespace Naeural.Benchmarks.Placement;

/// <summary>
/// Placement and failover on 10 in-process nodes sharing one PostgreSQL (started here, as the tests do), each beside its
/// baseline in the same run: the same pipeline entities in a second region that plain Akka sharding places with its default
/// (least-shards) strategy. Placement: wall time for 1,000 signed creates, each answered once its pipeline runs (ours goes
/// through the front door: spec check, requirements registered on a majority, resource-aware allocation). Failover: one
/// node is aborted (no leave: a crash) and the clock runs until every pipeline it ran answers "running" from a survivor.
/// A scenario rather than a BenchmarkDotNet class: each measurement consumes a network (it kills a node).
/// </summary>
public static class PlacementScenario
{
    private const int Nodes = 10;
    private const int Pipelines = 1_000;
    private const string BaselineType = "pipeline-default-placement";

    public static async Task RunAsync()
    {
        await using var postgres = new PostgresServer();
        await postgres.InitializeAsync();
        var database = await postgres.CreateDatabaseAsync("bench") + ";Maximum Pool Size=20";
        Console.WriteLine($"starting {Nodes} in-process nodes on PostgreSQL…");
        await using var network = await InProcessNetwork.StartAsync(Nodes, _ => new NodeCustomization(
            // 10 members on a small machine: generous failure detection, the same for ours and the baseline.
            Options: o => (o.Persistence, o.ConnectionString, o.Rebalance, o.UnreachableAfterSeconds) = ("postgresql", database, false, 10),
            Akka: akka => akka.WithActors((system, registry, resolver) =>
            {
                var services = resolver.GetService<PipelineServices>();
                registry.Register<BaselineRegion>(ClusterSharding.Get(system).Start(BaselineType, id => PipelineEntity.Props(id, services),
                    ClusterShardingSettings.Create(system).WithRememberEntities(true), new PipelineMessageExtractor(),
                    ClusterSharding.Get(system).DefaultShardAllocationStrategy(ClusterShardingSettings.Create(system)), StopEntity.Instance));
            })));
        await WaitForRegionsAsync(network);
        var developer = new Developer();
        var client = NaeuralClient.ForNode(network[0].System, developer.Key, Developer.Options with { RequestTimeout = TimeSpan.FromMinutes(10) });
        var baseline = ClusterSharding.Get(network[0].System).ShardRegion(BaselineType);

        var baselinePlace = await TimeAsync(Enumerable.Range(0, Pipelines).Select(i => (Func<Task>)(async () =>
        {
            var command = SignedCommand.Create(PipelineActions.Create, $"base-{i:0000}", JsonNode.Parse(Spec($"base-{i:0000}")), developer.Key, DateTimeOffset.UtcNow);
            var reply = await baseline.Ask<object>(new PipelineCommandRequest($"{developer.Address.ToLowerInvariant()}/base-{i:0000}", command), TimeSpan.FromMinutes(10));
            _ = reply as CommandAccepted ?? throw new InvalidOperationException($"baseline create refused: {reply}");
        })));
        Console.WriteLine($"baseline: {Pipelines} placed in {baselinePlace.TotalSeconds:F2} s");
        var oursPlace = await TimeAsync(Enumerable.Range(0, Pipelines).Select(i => (Func<Task>)(() => client.DeployAsync(Spec($"ours-{i:0000}")))));

        Console.WriteLine($"ours: {Pipelines} placed in {oursPlace.TotalSeconds:F2} s");

        // The victim: the node running the most of our pipelines, never the oldest (it runs the shard coordinators).
        var survivor = network[0];
        var ours = await HomesAsync(survivor, ClusterSharding.Get(survivor.System).ShardRegion(PipelineEntity.TypeName), developer, "ours");
        var theirs = await HomesAsync(survivor, baseline, developer, "base");
        var victim = network.Nodes.Skip(1).MaxBy(n => ours.Count(h => h.Value == n.NodeId))!;
        var oursLost = ours.Where(h => h.Value == victim.NodeId).Select(h => h.Key).ToList();
        var theirsLost = theirs.Where(h => h.Value == victim.NodeId).Select(h => h.Key).ToList();
        Console.WriteLine($"aborting {victim.NodeId}: {oursLost.Count} of our pipelines, {theirsLost.Count} baseline pipelines");
        var clock = Stopwatch.StartNew();
        var oursBack = WaitRunningElsewhereAsync(ClusterSharding.Get(survivor.System).ShardRegion(PipelineEntity.TypeName), oursLost, victim.NodeId, clock);
        var theirsBack = WaitRunningElsewhereAsync(baseline, theirsLost, victim.NodeId, clock);
        ((ExtendedActorSystem)victim.System).Abort();
        var (oursFailover, theirsFailover) = (await oursBack, await theirsBack);

        Console.WriteLine();
        Console.WriteLine($"| measurement ({Nodes} in-process nodes, PostgreSQL) | baseline: Akka default strategy | Naeural placement | ratio |");
        Console.WriteLine("| --- | --- | --- | --- |");
        Console.WriteLine($"| place {Pipelines:N0} pipelines (signed creates, answered once running) | {baselinePlace.TotalSeconds:F2} s | {oursPlace.TotalSeconds:F2} s | {oursPlace / baselinePlace:F2} |");
        Console.WriteLine($"| failover: node aborted → all its pipelines running again ({oursLost.Count} / {theirsLost.Count}) | {theirsFailover.TotalSeconds:F1} s | {oursFailover.TotalSeconds:F1} s | {oursFailover / theirsFailover:F2} |");
    }

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

    private static async Task<Dictionary<string, string>> HomesAsync(InProcessNode node, IActorRef region, Developer developer, string prefix)
    {
        var ids = Enumerable.Range(0, Pipelines).Select(i => $"{developer.Address.ToLowerInvariant()}/{prefix}-{i:0000}");
        var reports = await Task.WhenAll(ids.Select(id => region.Ask<PipelineStatusReport>(new GetPipelineStatus(id), TimeSpan.FromSeconds(30))));
        return reports.ToDictionary(r => r.PipelineId, r => r.NodeId);
    }

    private static async Task<TimeSpan> WaitRunningElsewhereAsync(IActorRef region, IReadOnlyList<string> pipelines, string lost, Stopwatch clock)
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
        }

        return clock.Elapsed;
    }

    private static async Task WaitForRegionsAsync(InProcessNetwork network)
    {
        foreach (var type in new[] { PipelineEntity.TypeName, BaselineType })
        {
            var region = ClusterSharding.Get(network[0].System).ShardRegion(type);
            while ((await region.Ask<CurrentRegions>(GetCurrentRegions.Instance, TimeSpan.FromSeconds(10))).Regions.Count < Nodes)
            {
                await Task.Delay(200);
            }
        }
    }

    /// <summary>Registry key of the baseline region.</summary>
    private sealed class BaselineRegion;
}
