using Akka.Actor;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Naeural.Actors.Client;
using Naeural.Actors.Jobs;
using Naeural.Host.Hosting;
using Naeural.Ledger.Identity;
using Naeural.Ledger.Signing;

namespace Naeural.Benchmarks.Network;

/// <summary>
/// What the client-path benchmarks share: a one-node network in this process (its own data folder, loopback without TLS),
/// up, with a finished job (<see cref="Job"/>) to read, a developer key and the client options to connect with.
/// </summary>
public sealed class OneNodeWithJob : IDisposable
{
    public const string Job = "bench-job";

    private readonly string _data = Path.Combine(Path.GetTempPath(), $"naeural-bench-{Guid.NewGuid():N}");

    public OneNodeWithJob(HttpOptions http)
    {
        Host = NodeHost.Build(new NodeOptions { Port = 0, DataDirectory = _data, Http = http });
        Host.Start();
        System = Host.Services.GetRequiredService<ActorSystem>();
        var up = new TaskCompletionSource();
        Akka.Cluster.Cluster.Get(System).RegisterOnMemberUp(() => up.TrySetResult());
        up.Task.Wait(TimeSpan.FromSeconds(60));
        var local = NaeuralClient.ForNode(System, Developer, Options);
        local.StartJobAsync($$"""
            { "NAME": "{{Job}}", "WORKERS": 1, "PLUGIN": "STATS", "INPUT": [1, 2, 3] }
            """).GetAwaiter().GetResult();
        var done = local.WaitForJobAsync(Job, TimeSpan.FromSeconds(60)).GetAwaiter().GetResult();
        if (done.State != JobState.Completed)
        {
            throw new InvalidOperationException($"the benchmark's job did not complete: {done.Error}");
        }
    }

    public IHost Host { get; }

    public ActorSystem System { get; }

    public NodeKey Developer { get; } = NodeKey.Generate();

    public ClientOptions Options { get; } = new() { Verifier = new Secp256k1Verifier(), RequestTimeout = TimeSpan.FromSeconds(60) };

    /// <summary>The node's member address (today's path for remote clients before the edge; development only).</summary>
    public string MemberAddress => Akka.Cluster.Cluster.Get(System).SelfAddress.ToString();

    /// <summary>The node's client edge: where remote clients connect.</summary>
    public string EdgeAddress => Host.Services.GetRequiredService<EdgeHost>().Address!.ToString();

    /// <summary>A client in this process, on its own actor system, connected to <paramref name="address"/>.</summary>
    public NaeuralClient Connect(string address) => NaeuralClient.Connect(address, Developer, Options);

    public void Dispose()
    {
        Host.StopAsync().GetAwaiter().GetResult();
        Host.Dispose();
        Directory.Delete(_data, recursive: true);
    }
}
