using Akka.Actor;
using Akka.Hosting;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Naeural.Host.Hosting;
using Naeural.Ledger.Channels;
using Naeural.Ledger.Identity;

namespace Naeural.Benchmarks.Ledger;

/// <summary>
/// What replicating the embedded ledger's journal costs a signed mint (gate nonce + ledger event, each confirmed by a majority
/// before the answer): three nodes on their own SQLite stores in this process, against the same request on a single node
/// (its own store, a majority of one: no remote write). Mints one after another, asked at the ledger's host.
/// </summary>
[Config(typeof(OperationsPerSecondConfig))]
[SimpleJob(launchCount: 1, warmupCount: 1, iterationCount: 5)]
public class LedgerReplicationCost
{
    private const int Requests = 50;
    private readonly NodeKey _treasury = NodeKey.Generate();
    private readonly List<(IHost Host, string Data)> _hosts = [];
    private SignedEmbeddedSettlement _single = null!;
    private SignedEmbeddedSettlement _replicated = null!;

    [GlobalSetup]
    public void Setup()
    {
        var single = Start("");
        _single = new SignedEmbeddedSettlement(ActorRegistry.For(System(single)).Get<LedgerGate>(), _treasury);
        var seed = Start("");
        Start(Akka.Cluster.Cluster.Get(System(seed)).SelfAddress.ToString());
        Start(Akka.Cluster.Cluster.Get(System(seed)).SelfAddress.ToString());
        _replicated = new SignedEmbeddedSettlement(ActorRegistry.For(System(seed)).Get<LedgerGate>(), _treasury);
        _single.MintAsync(_treasury.Address, 1).GetAwaiter().GetResult();
        _replicated.MintAsync(_treasury.Address, 1).GetAwaiter().GetResult();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        foreach (var (host, data) in Enumerable.Reverse(_hosts))
        {
            host.StopAsync().GetAwaiter().GetResult();
            host.Dispose();
            Directory.Delete(data, recursive: true);
        }
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Requests, Description = "signed mint, one node")]
    public async Task MintOnOneNode()
    {
        for (var i = 0; i < Requests; i++)
        {
            await _single.MintAsync(_treasury.Address, 1);
        }
    }

    [Benchmark(OperationsPerInvoke = Requests, Description = "signed mint, replicated to a majority of 3")]
    public async Task MintReplicated()
    {
        for (var i = 0; i < Requests; i++)
        {
            await _replicated.MintAsync(_treasury.Address, 1);
        }
    }

    private IHost Start(string seeds)
    {
        var data = Path.Combine(Path.GetTempPath(), $"naeural-bench-{Guid.NewGuid():N}");
        var options = new NodeOptions { Port = 0, DataDirectory = data, Seeds = seeds, Http = new HttpOptions { Enabled = false } };
        options.Ledger.MintAuthorities = _treasury.Address;
        var host = NodeHost.Build(options);
        host.Start();
        var up = new TaskCompletionSource();
        Akka.Cluster.Cluster.Get(System(host)).RegisterOnMemberUp(() => up.TrySetResult());
        up.Task.Wait(TimeSpan.FromSeconds(60));
        _hosts.Add((host, data));
        return host;
    }

    private static ActorSystem System(IHost host) => host.Services.GetRequiredService<ActorSystem>();
}
