using Akka.Actor;
using Akka.Cluster.Sharding;
using BenchmarkDotNet.Attributes;
using RunStrategy = BenchmarkDotNet.Engines.RunStrategy;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Naeural.Actors.Client;
using Naeural.Benchmarks.Kernel;
using Naeural.Host.Hosting;
using Naeural.Ledger.Identity;

namespace Naeural.Benchmarks.Pipelines;

/// <summary>
/// Pipeline throughput: a synthetic sensor (unthrottled, back-pressured) feeding a PASS_THROUGH plugin on a one-node
/// network with the embedded SQLite journal; each payload is numbered, signed by the node, persisted in the outbox and
/// delivered to a subscriber in order. Baseline, in the same run: the raw rate of one-way messages through a shard region
/// to one entity. Read Op/s (payloads or messages per second) and Ratio (time per payload over time per raw message).
/// </summary>
[Config(typeof(OperationsPerSecondConfig))]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 5)]
public class PipelineThroughput
{
    private const int Messages = 20_000;
    private readonly string _data = Path.Combine(Path.GetTempPath(), $"naeural-bench-{Guid.NewGuid():N}");
    private IHost _host = null!;
    private IActorRef _region = null!;
    private NaeuralClient _client = null!;
    private int _run;

    [GlobalSetup]
    public void Setup()
    {
        _host = NodeHost.Build(new NodeOptions { Port = 0, DataDirectory = _data, Http = new HttpOptions { Enabled = false } },
            extraMessageTypes: [typeof(CountTo), typeof(Tick), typeof(Reached)]);
        _host.Start();
        var system = _host.Services.GetRequiredService<ActorSystem>();
        var up = new TaskCompletionSource();
        Akka.Cluster.Cluster.Get(system).RegisterOnMemberUp(() => up.TrySetResult());
        up.Task.Wait(TimeSpan.FromSeconds(60));
        _region = ClusterSharding.Get(system).StartAsync(CountingEntity.TypeName, _ => CountingEntity.Props(),
            ClusterShardingSettings.Create(system), new CountingEntity.Extractor()).GetAwaiter().GetResult();
        _client = NaeuralClient.ForNode(system, NodeKey.Generate(), new ClientOptions { RequestTimeout = TimeSpan.FromSeconds(60) });
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _host.StopAsync().GetAwaiter().GetResult();
        _host.Dispose();
        Directory.Delete(_data, recursive: true);
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Messages, Description = "raw shard-region messages")]
    public Task RawShardRegion() => PayloadRuns.RawAsync(_region, $"e{_run++}", Messages);

    [Benchmark(OperationsPerInvoke = Messages, Description = "pipeline payloads (sensor -> PASS_THROUGH -> subscriber)")]
    public Task PipelinePayloads() => PayloadRuns.PipelineAsync(_client, $"bench-{_run++}", Messages);
}
