using Akka.Actor;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Naeural.Actors.Client;
using Naeural.Actors.Jobs;
using Naeural.Host.Hosting;
using Naeural.Ledger.Identity;
using Naeural.Ledger.Signing;

namespace Naeural.Benchmarks.Network;

/// <summary>
/// What the client edge costs a remote client's round trip, against today's path in the same run: a client straight at
/// the member port of a loopback node without TLS (which still takes any local process as a peer: development only). Both
/// are other actor systems in this process over Akka remoting (plain TCP on loopback). The network view (<c>GetNodes</c>),
/// and a signed <c>GET_JOB</c> of a finished job (signed by the client, verified at the front door, answered by the job).
/// Requests one after another; read Ratio per category.
/// </summary>
[Config(typeof(OperationsPerSecondConfig))]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
[SimpleJob(launchCount: 1, warmupCount: 2, iterationCount: 8)]
public class ClientEdgeOverhead
{
    private const int Requests = 200;
    private const string Job = "bench-job";
    private readonly string _data = Path.Combine(Path.GetTempPath(), $"naeural-bench-{Guid.NewGuid():N}");
    private readonly NodeKey _developer = NodeKey.Generate();
    private IHost _host = null!;
    private NaeuralClient _memberPort = null!;
    private NaeuralClient _edge = null!;

    [GlobalSetup]
    public void Setup()
    {
        _host = NodeHost.Build(new NodeOptions { Port = 0, DataDirectory = _data, Http = new HttpOptions { Enabled = false } });
        _host.Start();
        var system = _host.Services.GetRequiredService<ActorSystem>();
        var up = new TaskCompletionSource();
        Akka.Cluster.Cluster.Get(system).RegisterOnMemberUp(() => up.TrySetResult());
        up.Task.Wait(TimeSpan.FromSeconds(60));
        var options = new ClientOptions { Verifier = new Secp256k1Verifier(), RequestTimeout = TimeSpan.FromSeconds(60) };
        _memberPort = NaeuralClient.Connect(Akka.Cluster.Cluster.Get(system).SelfAddress.ToString(), _developer, options);
        _edge = NaeuralClient.Connect(_host.Services.GetRequiredService<EdgeHost>().Address!.ToString(), _developer, options);
        _edge.StartJobAsync($$"""
            { "NAME": "{{Job}}", "WORKERS": 1, "PLUGIN": "STATS", "INPUT": [1, 2, 3] }
            """).GetAwaiter().GetResult();
        var done = _edge.WaitForJobAsync(Job, TimeSpan.FromSeconds(60)).GetAwaiter().GetResult();
        if (done.State != JobState.Completed)
        {
            throw new InvalidOperationException($"the benchmark's job did not complete: {done.Error}");
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _edge.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _memberPort.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _host.StopAsync().GetAwaiter().GetResult();
        _host.Dispose();
        Directory.Delete(_data, recursive: true);
    }

    [BenchmarkCategory("network view"), Benchmark(Baseline = true, OperationsPerInvoke = Requests, Description = "GetNodes at the member port (today)")]
    public async Task NodesAtMemberPort()
    {
        for (var i = 0; i < Requests; i++)
        {
            await _memberPort.GetNodesAsync();
        }
    }

    [BenchmarkCategory("network view"), Benchmark(OperationsPerInvoke = Requests, Description = "GetNodes through the client edge")]
    public async Task NodesThroughEdge()
    {
        for (var i = 0; i < Requests; i++)
        {
            await _edge.GetNodesAsync();
        }
    }

    [BenchmarkCategory("signed GET_JOB"), Benchmark(Baseline = true, OperationsPerInvoke = Requests, Description = "GET_JOB at the member port (today)")]
    public async Task GetJobAtMemberPort()
    {
        for (var i = 0; i < Requests; i++)
        {
            await _memberPort.GetJobAsync(Job);
        }
    }

    [BenchmarkCategory("signed GET_JOB"), Benchmark(OperationsPerInvoke = Requests, Description = "GET_JOB through the client edge")]
    public async Task GetJobThroughEdge()
    {
        for (var i = 0; i < Requests; i++)
        {
            await _edge.GetJobAsync(Job);
        }
    }
}
