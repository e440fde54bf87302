using System.Collections.Immutable;
using Akka.Actor;
using Akka.Cluster;
using Akka.DistributedData;
using Akka.Event;
using Naeural.Actors.Nodes;

namespace Naeural.Actors.Network;

/// <summary>
/// This member's view of the network: the replicated heartbeats of every node, joined with cluster membership so a node
/// that leaves (or is downed) disappears at once, even before its heartbeat is pruned. The cluster leader prunes the
/// heartbeats of removed members from the replicated map.
/// </summary>
public sealed class NetworkView : ReceiveActor
{
    /// <summary>The actor's name under /user.</summary>
    public const string Name = "network-view";

    private static readonly ImmutableHashSet<MemberStatus> LiveStatuses =
        [MemberStatus.Joining, MemberStatus.WeaklyUp, MemberStatus.Up];

    private readonly Cluster _cluster = Cluster.Get(Context.System);
    private readonly IActorRef _replicator = DistributedData.Get(Context.System).Replicator;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private ImmutableDictionary<Address, MemberStatus> _members = ImmutableDictionary<Address, MemberStatus>.Empty;
    private ImmutableHashSet<Address> _unreachable = ImmutableHashSet<Address>.Empty;
    private LWWDictionary<string, NodeResources> _heartbeats = LWWDictionary<string, NodeResources>.Empty;

    public NetworkView()
    {
        Receive<Changed>(changed => changed.Key.Equals(NetworkKeys.Resources), changed =>
            _heartbeats = changed.Get(NetworkKeys.Resources));
        Receive<ClusterEvent.CurrentClusterState>(state =>
        {
            _members = state.Members.ToImmutableDictionary(m => m.Address, m => m.Status);
            _unreachable = state.Unreachable.Select(m => m.Address).ToImmutableHashSet();
        });
        Receive<ClusterEvent.MemberRemoved>(removed =>
        {
            _members = _members.Remove(removed.Member.Address);
            _unreachable = _unreachable.Remove(removed.Member.Address);
            PruneHeartbeatsOf(removed.Member.Address);
        });
        Receive<ClusterEvent.IMemberEvent>(e => _members = _members.SetItem(e.Member.Address, e.Member.Status));
        Receive<ClusterEvent.UnreachableMember>(e => _unreachable = _unreachable.Add(e.Member.Address));
        Receive<ClusterEvent.ReachableMember>(e => _unreachable = _unreachable.Remove(e.Member.Address));
        Receive<ClusterEvent.LeaderChanged>(_ => { });
        Receive<GetNodes>(_ => Sender.Tell(Snapshot()));
        Receive<UpdateSuccess>(_ => { });
        Receive<IUpdateFailure>(failure => _log.Warning("Pruning heartbeats failed: {0}", failure));
    }

    public static Props Props() => Akka.Actor.Props.Create(() => new NetworkView());

    protected override void PreStart()
    {
        _replicator.Tell(Dsl.Subscribe(NetworkKeys.Resources, Self));
        _cluster.Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsSnapshot,
            typeof(ClusterEvent.IMemberEvent), typeof(ClusterEvent.IReachabilityEvent));
    }

    protected override void PostStop()
    {
        _cluster.Unsubscribe(Self);
        _replicator.Tell(Dsl.Unsubscribe(NetworkKeys.Resources, Self));
    }

    private NetworkSnapshot Snapshot()
    {
        var nodes = _heartbeats.Entries.Values
            .Select(resources => (resources, address: Address.Parse(resources.AkkaAddress)))
            .Where(x => _members.TryGetValue(x.address, out var status) && LiveStatuses.Contains(status))
            .OrderBy(x => x.resources.NodeId, StringComparer.OrdinalIgnoreCase)
            .Select(x => new NetworkNode(x.resources, !_unreachable.Contains(x.address)))
            .ToImmutableArray();
        return new NetworkSnapshot(nodes, DateTimeOffset.UtcNow);
    }

    private void PruneHeartbeatsOf(Address removed)
    {
        if (_cluster.State.Leader != _cluster.SelfAddress)
        {
            return;
        }

        var stale = _heartbeats.Entries
            .Where(e => Address.Parse(e.Value.AkkaAddress) == removed)
            .Select(e => e.Key)
            .ToList();
        if (stale.Count == 0)
        {
            return;
        }

        _replicator.Tell(Dsl.Update(
            NetworkKeys.Resources,
            LWWDictionary<string, NodeResources>.Empty,
            WriteLocal.Instance,
            map => stale.Aggregate(map, (m, key) =>
                m.TryGetValue(key, out var current) && Address.Parse(current.AkkaAddress) == removed ? m.Remove(_cluster, key) : m)));
    }
}
