using Akka.Actor;
using Akka.Cluster.Sharding;
using Akka.Hosting;
using BenchmarkDotNet.Attributes;
using Naeural.Actors.Client;
using Naeural.Benchmarks.Kernel;
using Naeural.Testing;
using RunStrategy = BenchmarkDotNet.Engines.RunStrategy;

namespace Naeural.Benchmarks.Pipelines;

/// <summary>
/// What the outbox replica costs: one pipeline (unthrottled sensor → PASS_THROUGH → subscriber) on the second of two
/// in-process members, each on its own embedded store, with the replica on (every batch on another member before it is
/// published) and off (<c>--pipeline-replicas 1</c>). Baseline in the same run and network: raw one-way messages through a
/// shard region to one entity. Read Op/s (payloads or messages per second) and Ratio.
/// </summary>
[Config(typeof(OperationsPerSecondConfig))]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 5)]
public class OutboxReplicaCost
{
    private const int Messages = 20_000;
    private InProcessNetwork _network = null!;
    private IActorRef _region = null!;
    private NaeuralClient _client = null!;
    private int _run;

    [Params(true, false)]
    public bool Replica { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _network = InProcessNetwork.StartAsync(2, _ => new NodeCustomization(
            // Patient failure detection: an unthrottled pipeline on 2 cores delays cluster heartbeats by seconds.
            Options: o => (o.PipelineReplicas, o.Http.Enabled, o.UnreachableAfterSeconds) = (Replica ? 3 : 1, false, 10),
            ExtraMessageTypes: [typeof(CountTo), typeof(Tick), typeof(Reached)],
            Akka: akka => akka.AddHocon(BenchmarkRegions.TrustedPathsWith(CountingEntity.TypeName), HoconAddMode.Prepend))).GetAwaiter().GetResult();
        var system = _network[1].System;
        foreach (var node in _network.Nodes)
        {
            ClusterSharding.Get(node.System).StartAsync(CountingEntity.TypeName, _ => CountingEntity.Props(),
                ClusterShardingSettings.Create(node.System), new CountingEntity.Extractor()).GetAwaiter().GetResult();
        }

        _region = ClusterSharding.Get(system).ShardRegion(CountingEntity.TypeName);
        _client = new Developer().ClientFor(_network[1]);
        // Both members must see each other before a pipeline is placed (the replica needs a second member).
        while (_client.GetNodesAsync().GetAwaiter().GetResult().Nodes.Length < 2)
        {
            Thread.Sleep(100);
        }
    }

    [GlobalCleanup]
    public void Cleanup() => _network.DisposeAsync().AsTask().GetAwaiter().GetResult();

    [Benchmark(Baseline = true, OperationsPerInvoke = Messages, Description = "raw shard-region messages")]
    public Task RawShardRegion() => PayloadRuns.RawAsync(_region, $"e{_run++}", Messages);

    [Benchmark(OperationsPerInvoke = Messages, Description = "pipeline payloads, outbox replica on/off")]
    public Task PipelinePayloads() =>
        PayloadRuns.PipelineAsync(_client, $"bench-{_run++}", Messages, $$"""{ "NODE": "{{_network[1].NodeId}}" }""");
}
