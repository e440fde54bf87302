using System.Text;
using System.Text.Json.Nodes;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Microsoft.Extensions.DependencyInjection;
using Naeural.Actors.Client;
using Naeural.Actors.Commands;
using Naeural.Actors.Jobs;
using Naeural.Host.Hosting;
using Naeural.Host.Http;
using Naeural.Benchmarks.Network;

namespace Naeural.Benchmarks.Http;

/// <summary>
/// What the HTTP edge costs a request, against the actor API doing the same in the same run, on a one-node network. A signed
/// <c>GET_JOB</c> of a finished job (the client signs it, the node verifies it at the front door and the job entity answers):
/// posted to <c>/api/commands</c> and read back as JSON, against <see cref="NaeuralClient.GetJobAsync"/> over Akka remoting
/// (the baseline: another process's client, through the node's client edge) and on the node's own actor system. And the network view: <c>GET /api/nodes</c>
/// against <see cref="NaeuralClient.GetNodesAsync"/> over remoting. Requests one after another; read Ratio per category.
/// </summary>
[Config(typeof(OperationsPerSecondConfig))]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
[SimpleJob(launchCount: 1, warmupCount: 2, iterationCount: 8)]
public class HttpVsActorApi
{
    private const int Requests = 200;
    private const string Job = OneNodeWithJob.Job;
    private OneNodeWithJob _node = null!;
    private NaeuralClient _local = null!;
    private NaeuralClient _remote = null!;
    private HttpClient _http = null!;

    [GlobalSetup]
    public void Setup()
    {
        _node = new OneNodeWithJob(new HttpOptions { Port = 0 });
        _local = NaeuralClient.ForNode(_node.System, _node.Developer, _node.Options);
        _remote = _node.Connect(_node.EdgeAddress);
        _http = new HttpClient { BaseAddress = _node.Host.Services.GetRequiredService<HttpApiServer>().Address };
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _http.Dispose();
        _remote.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _node.Dispose();
    }

    [BenchmarkCategory("signed GET_JOB"), Benchmark(Baseline = true, OperationsPerInvoke = Requests, Description = "actor API over remoting")]
    public async Task GetJobOverRemoting()
    {
        for (var i = 0; i < Requests; i++)
        {
            await _remote.GetJobAsync(Job);
        }
    }

    [BenchmarkCategory("signed GET_JOB"), Benchmark(OperationsPerInvoke = Requests, Description = "actor API in the node's process")]
    public async Task GetJobInProcess()
    {
        for (var i = 0; i < Requests; i++)
        {
            await _local.GetJobAsync(Job);
        }
    }

    [BenchmarkCategory("signed GET_JOB"), Benchmark(OperationsPerInvoke = Requests, Description = "HTTP POST /api/commands")]
    public async Task GetJobOverHttp()
    {
        for (var i = 0; i < Requests; i++)
        {
            var command = SignedCommand.Create(JobActions.Get, Job, null, _node.Developer, DateTimeOffset.UtcNow);
            using var response = await _http.PostAsync("/api/commands", new StringContent(command.Json, Encoding.UTF8, "application/json"));
            var answer = JsonNode.Parse(await response.Content.ReadAsStreamAsync())!;
            if ((string?)answer["STATE"] != "COMPLETED")
            {
                throw new InvalidOperationException($"unexpected answer {answer.ToJsonString()}");
            }
        }
    }

    [BenchmarkCategory("network view"), Benchmark(Baseline = true, OperationsPerInvoke = Requests, Description = "GetNodes over remoting")]
    public async Task NodesOverRemoting()
    {
        for (var i = 0; i < Requests; i++)
        {
            await _remote.GetNodesAsync();
        }
    }

    [BenchmarkCategory("network view"), Benchmark(OperationsPerInvoke = Requests, Description = "HTTP GET /api/nodes")]
    public async Task NodesOverHttp()
    {
        for (var i = 0; i < Requests; i++)
        {
            using var response = await _http.GetAsync("/api/nodes");
            _ = JsonNode.Parse(await response.Content.ReadAsStreamAsync())!["nodes"]!.AsArray().Count;
        }
    }
}
