using Akka.Actor;
using Akka.Cluster;
using Akka.Cluster.Sharding;
using Akka.Hosting;
using Microsoft.Extensions.Hosting;
using Naeural.Actors.Jobs;
using Naeural.Actors.Network;
using Naeural.Actors.Nodes;
using Naeural.Actors.Pipelines;
using Naeural.Actors.Plugins;
using Naeural.Host.Hosting;

namespace Naeural.Testing;

/// <summary>
/// N nodes in the test process, each its own actor system on 127.0.0.1 with a random port, its HTTP server on another
/// (<see cref="InProcessNode.HttpAddress"/>), and its own data folder;
/// the first seeds the network and the others join it. Started and awaited until the network has formed: every member is
/// Up, sees every node's verified heartbeat (so its front door can place on any of them) and knows every pipeline region.
/// <see cref="RestartAllAsync"/> stops them all and starts them again on their own data folders and ports.
/// </summary>
public sealed class InProcessNetwork : IAsyncDisposable
{
    /// <summary>The nodes' console log level: Warning, or <c>NAEURAL_TEST_LOG_LEVEL</c> (e.g. Information) when tracing a run.</summary>
    private static readonly Microsoft.Extensions.Logging.LogLevel LogLevel =
        Enum.TryParse<Microsoft.Extensions.Logging.LogLevel>(Environment.GetEnvironmentVariable("NAEURAL_TEST_LOG_LEVEL"), out var level)
            ? level
            : Microsoft.Extensions.Logging.LogLevel.Warning;

    private readonly TempDirectory _data = new("naeural-net");
    private readonly List<InProcessNode> _nodes = [];
    private readonly List<NodeCustomization> _customizations = [];

    private InProcessNetwork()
    {
    }

    public IReadOnlyList<InProcessNode> Nodes => _nodes;

    public InProcessNode this[int index] => _nodes[index];

    /// <param name="customize">Per node index: changes to its options, extra allowed message types, extra actors.</param>
    public static async Task<InProcessNetwork> StartAsync(int count, Func<int, NodeCustomization>? customize = null)
    {
        var network = new InProcessNetwork();
        try
        {
            for (var i = 0; i < count; i++)
            {
                await network.AddNodeAsync(customize?.Invoke(i) ?? new NodeCustomization());
            }

            await network.WaitUntilFormedAsync();
            return network;
        }
        catch
        {
            await network.DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts one more node that joins the network through its first node.</summary>
    public async Task<InProcessNode> AddNodeAsync(NodeCustomization customization)
    {
        var node = await StartNodeAsync(_nodes.Count, customization, ports: null);
        _nodes.Add(node);
        _customizations.Add(customization);
        return node;
    }

    /// <summary>
    /// Stops every node as <see cref="DisposeAsync"/> does (the last first, each leaving gracefully), then starts each again, in
    /// order, with its customization, on its own data folder (so the same key and journal) and the same member and client-edge
    /// ports (so the same addresses: the first seeds again, the others join it); awaited until every member is Up.
    /// </summary>
    public async Task RestartAllAsync(TimeSpan? timeout = null)
    {
        var ports = _nodes.Select(n => (Member: n.Address.Port!.Value, Edge: n.EdgeAddress.Port!.Value)).ToArray();
        foreach (var node in Enumerable.Reverse(_nodes))
        {
            await node.DisposeAsync();
        }

        _nodes.Clear();
        for (var i = 0; i < ports.Length; i++)
        {
            _nodes.Add(await StartNodeAsync(i, _customizations[i], ports[i]));
        }

        await WaitUntilFormedAsync(timeout);
    }

    /// <param name="ports">Null: any free ones; else the ones a previous run of the node had.</param>
    private async Task<InProcessNode> StartNodeAsync(int index, NodeCustomization customization, (int Member, int Edge)? ports)
    {
        var options = new NodeOptions
        {
            Port = ports?.Member ?? 0,
            ClientPort = ports?.Edge,
            DataDirectory = _data.Sub($"node-{index}"),
            Alias = $"node-{index}",
            HeartbeatSeconds = 0.5,
            Seeds = index == 0 ? "" : _nodes[0].Address.ToString(),
            Http = new HttpOptions { Port = 0 },
        };
        customization.Options?.Invoke(options);
        var host = NodeHost.Build(options, customization.ExtraMessageTypes, customization.Akka, LogLevel, plugins: customization.Plugins,
            resourceProbe: customization.Probe, jobs: customization.Jobs);
        try
        {
            await host.StartAsync();
        }
        catch (Exception e) when (e is OperationCanceledException || (e is InvalidOperationException && e.Message.Contains("terminat", StringComparison.Ordinal)))
        {
            // Its actor system terminated while the host started (a start hook then fails, or Akka.Hosting stops the host). Say why.
            var system = host.Services.GetService(typeof(Akka.Actor.ActorSystem)) as Akka.Actor.ActorSystem;
            var reason = system is null ? "no actor system" : Akka.Actor.CoordinatedShutdown.Get(system).ShutdownReason?.ToString() ?? "no shutdown reason";
            host.Dispose();
            throw new NodeStoppedWhileStartingException($"node-{index} stopped while it started (actor system terminated: {system?.WhenTerminated.IsCompleted}; {reason})", e);
        }
        catch
        {
            host.Dispose();
            throw;
        }

        return InProcessNode.From(host);
    }

    /// <summary>
    /// Awaits the formed network (what <see cref="StartAsync"/> awaits; call it again after <see cref="AddNodeAsync"/>): every
    /// member is Up, and in every member's own view every member is Up and reachable, every node's verified heartbeat is seen,
    /// and the coordinator knows a pipeline region (and a job-share region) on every member. A front door places only on Up,
    /// reachable members whose heartbeats it has verified, so a test that spreads work waits for this first.
    /// </summary>
    public async Task WaitUntilFormedAsync(TimeSpan? timeout = null)
    {
        using var cancellation = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(60));
        var ups = _nodes.Select(n =>
        {
            var up = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            Cluster.Get(n.System).RegisterOnMemberUp(() => up.TrySetResult());
            return up.Task;
        });
        await Task.WhenAll(ups).WaitAsync(cancellation.Token);

        // Up is not yet formed: each member learns the others' Up by gossip, a front door places only on nodes whose
        // heartbeats it has verified, and a region hands a shard only to regions the coordinator knows. Polled (each node
        // answers at once), until all of it covers every node.
        var ids = _nodes.Select(n => n.NodeId).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var addresses = _nodes.Select(n => Cluster.Get(n.System).SelfUniqueAddress).ToHashSet();
        foreach (var node in _nodes)
        {
            while (!await FormedAtAsync(node, ids, addresses, cancellation.Token))
            {
                await Task.Delay(TimeSpan.FromMilliseconds(100), cancellation.Token);
            }
        }
    }

    private async Task<bool> FormedAtAsync(InProcessNode node, HashSet<string> ids, HashSet<UniqueAddress> addresses, CancellationToken cancellation)
    {
        var state = Cluster.Get(node.System).State;
        if (!addresses.IsSubsetOf(state.Members.Where(m => m.Status == MemberStatus.Up).Select(m => m.UniqueAddress))
            || state.Unreachable.Any(m => addresses.Contains(m.UniqueAddress)))
        {
            return false;
        }

        var seen = await node.Registered<NetworkView>().Ask<NetworkSnapshot>(GetNodes.Instance, TimeSpan.FromSeconds(5), cancellation);
        if (!ids.IsSubsetOf(seen.Nodes.Where(n => n.Reachable).Select(n => n.Resources.NodeId)))
        {
            return false;
        }

        var sharding = ClusterSharding.Get(node.System);
        foreach (var typeName in new[] { PipelineEntity.TypeName, JobShareWorker.TypeName }.Where(sharding.ShardTypeNames.Contains))
        {
            var regions = await sharding.ShardRegion(typeName).Ask<CurrentRegions>(GetCurrentRegions.Instance, TimeSpan.FromSeconds(5), cancellation);
            if (regions.Regions.Count < _nodes.Count)
            {
                return false;
            }
        }

        return true;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var node in Enumerable.Reverse(_nodes))
        {
            await node.DisposeAsync();
        }

        _data.Dispose();
    }
}

/// <summary>A node's host was stopped while it started, with what its actor system said.</summary>
public sealed class NodeStoppedWhileStartingException(string message, Exception inner) : Exception(message, inner);

/// <summary>How one in-process node differs from the defaults.</summary>
public sealed record NodeCustomization(
    Action<NodeOptions>? Options = null,
    IReadOnlyList<Type>? ExtraMessageTypes = null,
    Action<AkkaConfigurationBuilder>? Akka = null,
    PluginCatalogue? Plugins = null,
    IResourceProbe? Probe = null,
    JobCatalogue? Jobs = null);
