using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Naeural.Actors.Client;
using Naeural.Host.Hosting;

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
    private const string Job = OneNodeWithJob.Job;
    private OneNodeWithJob _node = null!;
    private NaeuralClient _memberPort = null!;
    private NaeuralClient _edge = null!;

    [GlobalSetup]
    public void Setup()
    {
        _node = new OneNodeWithJob(new HttpOptions { Enabled = false });
        _memberPort = _node.Connect(_node.MemberAddress);
        _edge = _node.Connect(_node.EdgeAddress);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _edge.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _memberPort.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _node.Dispose();
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
