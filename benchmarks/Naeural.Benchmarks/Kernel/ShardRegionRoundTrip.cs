using Akka.Actor;
using Akka.Cluster.Sharding;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Naeural.Host.Hosting;

namespace Naeural.Benchmarks.Kernel;

/// <summary>
/// What sharding costs a request: a round-trip (Ask, answer) to an entity through its shard region on a real one-node
/// network (the Host's own actor system set-up) against the same round-trip to a plain local actor. Read the Ratio column.
/// </summary>
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 10)]
public class ShardRegionRoundTrip
{
    private const int RoundTrips = 2_000;
    private readonly string _data = Path.Combine(Path.GetTempPath(), $"naeural-bench-{Guid.NewGuid():N}");
    private IHost _host = null!;
    private IActorRef _local = null!;
    private IActorRef _region = null!;

    [GlobalSetup]
    public void Setup()
    {
        _host = NodeHost.Build(new NodeOptions { Port = 0, DataDirectory = _data, Http = new HttpOptions { Enabled = false } }, extraMessageTypes: [typeof(Ping), typeof(Pong)]);
        _host.Start();
        var system = _host.Services.GetRequiredService<ActorSystem>();
        _local = system.ActorOf(EchoEntity.Props(), "local-echo");
        _region = ClusterSharding.Get(system).StartAsync(
                EchoEntity.TypeName, _ => EchoEntity.Props(), ClusterShardingSettings.Create(system), new EchoEntity.Extractor())
            .GetAwaiter().GetResult();
        _region.Ask<Pong>(new Ping("warm", 0), TimeSpan.FromSeconds(60)).GetAwaiter().GetResult();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _host.StopAsync().GetAwaiter().GetResult();
        _host.Dispose();
        Directory.Delete(_data, recursive: true);
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = RoundTrips, Description = "plain local actor")]
    public Task LocalActor() => RoundTripAsync(_local);

    [Benchmark(OperationsPerInvoke = RoundTrips, Description = "entity via shard region")]
    public Task ShardRegion() => RoundTripAsync(_region);

    private static async Task RoundTripAsync(IActorRef target)
    {
        for (var i = 0; i < RoundTrips; i++)
        {
            await target.Ask<Pong>(new Ping("echo-1", i), TimeSpan.FromSeconds(5));
        }
    }
}
