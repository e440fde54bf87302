using Akka.Actor;
using Akka.Cluster;
using Akka.Cluster.Sharding;
using Naeural.Actors.Jobs;
using Naeural.Actors.Pipelines;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Naeural.Actors.Client;
using Naeural.Ledger.Identity;

namespace Naeural.Testing;

/// <summary>A node running in the test process: the same host the executable builds, on a random loopback port.</summary>
public sealed class InProcessNode : IAsyncDisposable
{
    private readonly IHost _host;
    private bool _stopped;

    /// <summary>Wraps a started node host.</summary>
    public static InProcessNode From(IHost host) => new(host);

    private InProcessNode(IHost host)
    {
        _host = host;
        System = host.Services.GetRequiredService<ActorSystem>();
        NodeId = host.Services.GetRequiredService<NodeKey>().Address;
        Client = System.Naeural(host.Services.GetRequiredService<NodeKey>(),
            new ClientOptions { NetworkId = host.Services.GetRequiredService<Naeural.Host.Hosting.NodeOptions>().NetworkId });
    }

    public ActorSystem System { get; }

    /// <summary>The node's identity (its Ethereum address).</summary>
    public string NodeId { get; }

    /// <summary>The node's member address: for other nodes (and attacks on them).</summary>
    public Address Address => Cluster.Get(System).SelfAddress;

    /// <summary>The node's client edge: where a remote client connects (<see cref="NaeuralClient.Connect"/>).</summary>
    public Address EdgeAddress => Service<Naeural.Host.Hosting.EdgeHost>().Address!;

    /// <summary>The client edge's own actor system (no member: the client protocol only).</summary>
    public ActorSystem EdgeSystem => Service<Naeural.Host.Hosting.EdgeHost>().System!;

    /// <summary>The node operator's client: it signs with the node key, so its signed reads see everything the node holds.</summary>
    public NaeuralClient Client { get; }

    /// <summary>Where the node's HTTP API and dashboard listen (e.g. <c>http://127.0.0.1:40123/</c>); null when HTTP is off.</summary>
    public Uri? HttpAddress => Service<Naeural.Host.Http.HttpApiServer>().Address;

    /// <summary>The node's data folder (key, journal, models).</summary>
    public string DataDirectory => Service<Naeural.Host.Hosting.NodeOptions>().FullDataDirectory;

    public T Service<T>() where T : notnull => _host.Services.GetRequiredService<T>();

    /// <summary>An actor the node registered under <typeparamref name="TKey"/> (a shard region, a singleton proxy, a node actor).</summary>
    public IActorRef Registered<TKey>() => Akka.Hosting.ActorRegistry.For(System).Get<TKey>();

    /// <summary>Asks a pipeline entity (wherever it runs) for its status.</summary>
    public Task<PipelineStatusReport> PipelineStatusAsync(string pipelineId) =>
        ClusterSharding.Get(System).ShardRegion(PipelineEntity.TypeName)
            .Ask<PipelineStatusReport>(new GetPipelineStatus(pipelineId), TimeSpan.FromSeconds(20));

    /// <summary>Asks a distributed job hosted on this node for its status, as one of the node's own actors (unsigned, local-only).</summary>
    public Task<JobStatus> JobStatusAsync(string jobId) =>
        ClusterSharding.Get(System).ShardRegion(DistributedJobEntity.TypeName)
            .Ask<JobStatus>(new GetJobStatus(jobId), TimeSpan.FromSeconds(20));

    /// <summary>
    /// Stops the node as a crash would, as far as the others can tell: its actor system terminates at once (coordinated
    /// shutdown run from its last phase, so no cluster leave and no shard hand-off); the others see it unreachable, the
    /// split-brain resolver downs it, and its shards are allocated elsewhere.
    /// </summary>
    public async Task KillAsync()
    {
        if (_stopped)
        {
            return;
        }

        _stopped = true;
        await CoordinatedShutdown.Get(System).Run(KilledReason.Instance, CoordinatedShutdown.PhaseActorSystemTerminate);
        await _host.StopAsync(TimeSpan.FromSeconds(30));
        _host.Dispose();
    }

    private sealed class KilledReason : CoordinatedShutdown.Reason
    {
        public static KilledReason Instance { get; } = new();

        public override int ExitCode => 137;
    }

    /// <summary>Leaves the network gracefully and stops.</summary>
    public async Task StopAsync()
    {
        if (_stopped)
        {
            return;
        }

        _stopped = true;
        await _host.StopAsync(TimeSpan.FromSeconds(30));
        _host.Dispose();
    }

    public ValueTask DisposeAsync() => new(StopAsync());
}
