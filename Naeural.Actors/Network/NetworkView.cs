using System.Collections.Immutable;
using Akka.Actor;
using Akka.Cluster;
using Akka.DistributedData;
using Akka.Event;
using Naeural.Actors.Nodes;
using Naeural.Actors.Security;

namespace Naeural.Actors.Network;

/// <summary>
/// This member's view of the network: the replicated heartbeats that verify (<see cref="HeartbeatBook"/>: key = signer = node
/// id) and whose node is the one proven to live at the member address it carries (<see cref="AddressBindings"/>), joined with
/// cluster membership so a node that leaves (or is downed) disappears at once, even before its heartbeat is pruned. Anything
/// else in the map is ignored, never thrown on. Local subscribers (the epoch observer) get every change of the verified
/// heartbeats (<see cref="VerifiedHeartbeats"/>). The cluster leader prunes the heartbeats of removed members from the map.
/// </summary>
public sealed class NetworkView : ReceiveActor, IWithTimers
{
    /// <summary>The actor's name under /user.</summary>
    public const string Name = "network-view";

    private static readonly TimeSpan ProofRetry = TimeSpan.FromSeconds(2);

    private static readonly ImmutableHashSet<MemberStatus> LiveStatuses =
        [MemberStatus.Joining, MemberStatus.WeaklyUp, MemberStatus.Up];

    private readonly Cluster _cluster = Cluster.Get(Context.System);
    private readonly IActorRef _replicator = DistributedData.Get(Context.System).Replicator;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly HeartbeatBook _book;
    private readonly AddressBindings _bindings;
    private readonly HashSet<IActorRef> _subscribers = [];
    private ImmutableDictionary<Address, MemberStatus> _members = ImmutableDictionary<Address, MemberStatus>.Empty;
    private ImmutableHashSet<Address> _unreachable = ImmutableHashSet<Address>.Empty;
    private LWWDictionary<string, SignedHeartbeat> _raw = LWWDictionary<string, SignedHeartbeat>.Empty;

    public NetworkView(ISignatureVerifier verifier, GossipSettings settings)
    {
        _book = new HeartbeatBook(verifier, settings.NetworkId);
        _bindings = new AddressBindings(verifier, settings.NetworkId, ProofRetry);

        Receive<Changed>(changed => changed.Key.Equals(NetworkKeys.Resources), changed =>
        {
            _raw = changed.Get(NetworkKeys.Resources);
            if (_book.Read(_raw.Entries))
            {
                ChallengeUnbound();
                Notify();
            }
        });
        Receive<ClusterEvent.CurrentClusterState>(state =>
        {
            _members = state.Members.ToImmutableDictionary(m => m.Address, m => m.Status);
            _unreachable = state.Unreachable.Select(m => m.Address).ToImmutableHashSet();
            ChallengeUnbound();
        });
        Receive<ClusterEvent.MemberRemoved>(removed =>
        {
            _members = _members.Remove(removed.Member.Address);
            _unreachable = _unreachable.Remove(removed.Member.Address);
            if (_bindings.Unbind(removed.Member.Address) is { } nodeId)
            {
                _book.Forget(nodeId);
            }

            PruneHeartbeatsOf(removed.Member.Address);
            Notify();
        });
        Receive<ClusterEvent.IMemberEvent>(e =>
        {
            _members = _members.SetItem(e.Member.Address, e.Member.Status);
            ChallengeUnbound();
        });
        Receive<ClusterEvent.UnreachableMember>(e => _unreachable = _unreachable.Add(e.Member.Address));
        Receive<ClusterEvent.ReachableMember>(e => _unreachable = _unreachable.Remove(e.Member.Address));
        Receive<ClusterEvent.LeaderChanged>(_ => { });
        Receive<AddressProof>(proof =>
        {
            if (_bindings.Accept(proof))
            {
                Notify();
            }
        });
        Receive<ChallengeTick>(_ => ChallengeUnbound());
        Receive<GetNodes>(_ => Sender.Tell(Snapshot()));
        Receive<SubscribeVerifiedHeartbeats>(_ =>
        {
            _subscribers.Add(Sender);
            Context.Watch(Sender);
            Sender.Tell(Verified());
        });
        Receive<Terminated>(t => _subscribers.Remove(t.ActorRef));
        Receive<UpdateSuccess>(_ => { });
        Receive<IUpdateFailure>(failure => _log.Warning("Pruning heartbeats failed: {Failure}", failure));
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(ISignatureVerifier verifier, GossipSettings settings) =>
        Akka.Actor.Props.Create(() => new NetworkView(verifier, settings));

    protected override void PreStart()
    {
        _replicator.Tell(Dsl.Subscribe(NetworkKeys.Resources, Self));
        _cluster.Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsSnapshot,
            typeof(ClusterEvent.IMemberEvent), typeof(ClusterEvent.IReachabilityEvent));
        Timers.StartPeriodicTimer(ChallengeTick.Instance, ChallengeTick.Instance, ProofRetry);
    }

    protected override void PostStop()
    {
        _cluster.Unsubscribe(Self);
        _replicator.Tell(Dsl.Unsubscribe(NetworkKeys.Resources, Self));
    }

    /// <summary>Asks every member address that a verified heartbeat claims, and no node has proven yet, to prove who lives there.</summary>
    private void ChallengeUnbound()
    {
        var now = DateTimeOffset.UtcNow;
        foreach (var address in _book.Accepted.Values.Select(r => AddressOf(r)).OfType<Address>().Distinct())
        {
            if (_members.ContainsKey(address) && _bindings.Challenge(address, now) is { } nonce)
            {
                Context.ActorSelection(new RootActorPath(address) / "user" / ResourcePublisher.Name).Tell(new ProveAddress(nonce), Self);
            }
        }
    }

    /// <summary>The verified heartbeats whose node is the one bound to their (still known) member address.</summary>
    private IEnumerable<(NodeResources Resources, Address Address)> Bound() =>
        _book.Accepted.Values
            .Select(r => (Resources: r, Address: AddressOf(r)))
            .Where(x => x.Address is { } a && _members.ContainsKey(a) && _bindings.IsBound(a, x.Resources.NodeId))
            .Select(x => (x.Resources, x.Address!));

    private VerifiedHeartbeats Verified() => new([.. Bound().Select(x => x.Resources)]);

    private void Notify()
    {
        if (_subscribers.Count == 0)
        {
            return;
        }

        var verified = Verified();
        foreach (var subscriber in _subscribers)
        {
            subscriber.Tell(verified);
        }
    }

    private NetworkSnapshot Snapshot()
    {
        var nodes = Bound()
            .Where(x => LiveStatuses.Contains(_members[x.Address]))
            .OrderBy(x => x.Resources.NodeId, StringComparer.OrdinalIgnoreCase)
            .Select(x => new NetworkNode(x.Resources, !_unreachable.Contains(x.Address)))
            .ToImmutableArray();
        return new NetworkSnapshot(nodes, DateTimeOffset.UtcNow);
    }

    private static Address? AddressOf(NodeResources resources) =>
        resources.AkkaAddress is { } text && Address.TryParse(text, out var address) ? address : null;

    private static Address? AddressOf(SignedHeartbeat? entry) => entry?.Resources is { } r ? AddressOf(r) : null;

    private void PruneHeartbeatsOf(Address removed)
    {
        if (_cluster.State.Leader != _cluster.SelfAddress)
        {
            return;
        }

        var stale = _raw.Entries.Where(e => AddressOf(e.Value) == removed).Select(e => e.Key).ToList();
        if (stale.Count == 0)
        {
            return;
        }

        _replicator.Tell(Dsl.Update(
            NetworkKeys.Resources,
            LWWDictionary<string, SignedHeartbeat>.Empty,
            WriteLocal.Instance,
            map => stale.Aggregate(map, (m, key) =>
                m.TryGetValue(key, out var current) && AddressOf(current) == removed ? m.Remove(_cluster, key) : m)));
    }

    private sealed record ChallengeTick
    {
        public static ChallengeTick Instance { get; } = new();
    }
}
