using System.Collections.Immutable;
using System.Text.Json.Nodes;
using Akka.Actor;
using Akka.Cluster;
using Akka.Cluster.Sharding;
using Akka.Event;
using Naeural.Actors.Commands;
using Naeural.Actors.Network;
using Naeural.Actors.Nodes;
using Naeural.Actors.Pipelines;
using Naeural.Actors.Security;

namespace Naeural.Actors.Placement;

/// <summary>
/// One per node (<c>/user/placement</c>). At the front door it decides a new pipeline's home alone, from its own gossiped
/// view (<see cref="PlacementPolicy.Rank"/>: rendezvous hashing, power of two choices), and hands the create to that node
/// (<see cref="HostPipeline"/>; no majority write, no central step); commands for the same pipeline sent while the create is
/// on its way wait behind it, so they reach sharding in the order they came. A create no node fits waits pending (bounded
/// in number, retried as the view changes, dropped once older than the command freshness window, withdrawn by its owner's
/// archive); commands for it meanwhile go to sharding at once. As a home it takes <see cref="HostPipeline"/> and
/// <see cref="WakePipeline"/> from members only when the pipeline fits this node by the create's own requirements, and
/// hands them to its local region. It keeps the live nodes and the requirements it knows on the <see cref="PlacementBoard"/>
/// for the allocation strategy.
/// </summary>
public sealed class PlacementAdvisor : ReceiveActor, IWithTimers
{
    public const string Name = "placement";

    public const string Path = "/user/" + Name;

    private static readonly TimeSpan PendingRetry = TimeSpan.FromSeconds(2);
    private readonly IActorRef _networkView;
    private readonly PlacementSettings _settings;
    private readonly PlacementBoard _board;
    private readonly string _nodeId;
    private readonly PipelineServices _services;
    private readonly Cluster _cluster = Cluster.Get(Context.System);
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly Dictionary<string, List<(PipelineCommandRequest Command, IActorRef Sender)>> _waiting = [];
    private readonly Dictionary<string, (PlacePipeline Place, IActorRef Sender, string Reason)> _pending = [];
    private readonly Dictionary<string, HashSet<string>> _recent = new(AccountAddress.Comparer);
    private IReadOnlyList<NodeResources> _heartbeats = [];

    public PlacementAdvisor(IActorRef networkView, PlacementSettings settings, PlacementBoard board, PipelineServices services)
    {
        _networkView = networkView;
        _settings = settings;
        _board = board;
        _services = services;
        _nodeId = services.NodeId;

        Receive<VerifiedHeartbeats>(v => Sender.Equals(_networkView), v =>
        {
            _heartbeats = v.Heartbeats;
            foreach (var r in v.Heartbeats)
            {
                _recent.GetValueOrDefault(r.NodeId)?.ExceptWith(r.Pipelines); // its heartbeat counts them now
            }

            _board.Nodes = [.. Live()];
            RetryPending();
        });
        Receive<PlacePipeline>(Place);
        Receive<RouteCommand>(Route);
        Receive<Hosted>(OnHosted);
        Receive<HostPipeline>(host => HostHere(host?.Command, wake: false));
        Receive<WakePipeline>(wake => HostHere(wake?.Create, wake: true));
        Receive<ShardMisplaced>(OnMisplaced);
        Receive<RetryTick>(_ => RetryPending());
        Receive<GetPendingPlacements>(_ => Sender.Tell(new PendingPlacements(
            _pending.ToImmutableSortedDictionary(p => p.Key, p => p.Value.Reason, StringComparer.Ordinal))));
        Receive<PipelineStatusReport>(_ => { });
    }

    public ITimerScheduler Timers { get; set; } = null!;

    /// <param name="networkView">This node's network view: its verified heartbeats are the candidates.</param>
    /// <param name="settings">Placement tuning.</param>
    /// <param name="board">Shared with this node's allocation strategy.</param>
    /// <param name="services">This node's id (its own heartbeat is the one a fit check here reads), verifier and command limits.</param>
    public static Props Props(IActorRef networkView, PlacementSettings settings, PlacementBoard board, PipelineServices services) =>
        Akka.Actor.Props.Create(() => new PlacementAdvisor(networkView, settings, board, services));

    private IActorRef Pipelines => ClusterSharding.Get(Context.System).ShardRegion(PipelineEntity.TypeName);

    protected override void PreStart()
    {
        _networkView.Tell(SubscribeVerifiedHeartbeats.Instance);
        Timers.StartPeriodicTimer("retry-pending", RetryTick.Instance, PendingRetry);
    }

    private void Place(PlacePipeline place)
    {
        if (_waiting.TryGetValue(place.PipelineId, out var queue))
        {
            queue.Add((place.Command, Sender));
            return;
        }

        Attempt(place, Sender, []);
    }

    private void Route(RouteCommand route)
    {
        var pipelineId = route.Command.PipelineId;
        if (_waiting.TryGetValue(pipelineId, out var queue))
        {
            queue.Add((route.Command, Sender));
        }
        else if (route.Action == PipelineActions.Archive && _pending.TryGetValue(pipelineId, out var pending)
                 && route.SignedAtMs >= pending.Place.SignedAtMs)
        {
            // The front door verified it (the owner's or this node's operator's, not replayed), signed after the create. The
            // pipeline may exist too (the pending create was a second one): the archive still goes to it; only when it does
            // not exist is the withdrawal the answer.
            _pending.Remove(pipelineId);
            _log.Info("Pipeline {PipelineId}'s pending create was withdrawn by an archive", pipelineId);
            var withdrawn = new CommandAccepted(pipelineId, PipelineActions.Archive, 0, NotificationCodes.PipelineOk,
                "the pending create was withdrawn: the pipeline was never placed");
            Pipelines.Ask<object>(route.Command, _settings.HostTimeout).PipeTo(Sender,
                success: answer => answer is CommandRejected { Code: RejectionCodes.UnknownPipeline } ? withdrawn : answer,
                failure: e => new CommandRejected(pipelineId, PipelineActions.Archive, RejectionCodes.Timeout, e.Message));
        }
        else
        {
            Pipelines.Forward(route.Command);
        }
    }

    /// <summary>Picks the best fitting node not yet tried and hands it the create; none fits: the create waits, pending.</summary>
    private void Attempt(PlacePipeline place, IActorRef sender, ImmutableHashSet<string> tried)
    {
        var candidates = Live().Where(n => !tried.Contains(n.Resources.NodeId))
            .Select(n => new PlacementCandidate(n, n.Resources.Pipelines.Length + (_recent.GetValueOrDefault(n.Resources.NodeId)?.Count ?? 0)))
            .ToList();
        var ranked = PlacementPolicy.Rank(place.PipelineId, place.Requirements, candidates, _settings);
        if (ranked.Count == 0)
        {
            var reason = PlacementPolicy.Refusal(place.PipelineId, place.Requirements, candidates);
            if (!_pending.TryGetValue(place.PipelineId, out var earlier) && TooManyPending(place.PipelineId) is { } full)
            {
                _log.Warning("Pipeline {PipelineId} refused: {Reason}", place.PipelineId, full);
                sender.Tell(new CommandRejected(place.PipelineId, PipelineActions.Create, RejectionCodes.TooManyPending, full));
                Release(place.PipelineId);
                return;
            }

            if (!ViewReady())
            {
                // This node has not seen (and proven) its own heartbeat yet: it can't tell "nothing fits" from "nothing seen".
                _pending[place.PipelineId] = (place, sender, "this node's view of the network is still forming");
                Release(place.PipelineId);
                return;
            }

            if (!ReferenceEquals(earlier.Place, place) || earlier.Reason.StartsWith("this node's view", StringComparison.Ordinal))
            {
                _log.Warning("Pipeline {PipelineId} is pending: {Reason}", place.PipelineId, reason);
                sender.Tell(new CommandAccepted(place.PipelineId, PipelineActions.Create, 0, PlacementCodes.Pending, reason));
            }

            _pending[place.PipelineId] = (place, sender, reason);
            Release(place.PipelineId); // what waited behind it goes to sharding now: nothing waits on a pending create
            return;
        }

        _pending.Remove(place.PipelineId);
        _board.Know(place.PipelineId, place.Requirements);
        _waiting.TryAdd(place.PipelineId, []); // commands sent while the create is on its way wait behind it
        var home = ranked[0].Node.Resources;
        (_recent.TryGetValue(home.NodeId, out var recent) ? recent : _recent[home.NodeId] = new(StringComparer.Ordinal)).Add(place.PipelineId);
        var attempt = new HostAttempt(place, sender, tried.Add(home.NodeId), home.NodeId);
        var asked = AccountAddress.Same(home.NodeId, _nodeId)
            ? Pipelines.Ask<object>(place.Command, _settings.HostTimeout)
            : Context.ActorSelection(home.AkkaAddress + Path).Ask<object>(new HostPipeline(place.Command), _settings.HostTimeout);
        asked.PipeTo(Self, success: answer => new Hosted(attempt, answer), failure: e => new Hosted(attempt, e));
    }

    private void OnHosted(Hosted hosted)
    {
        var (place, sender, tried, home) = hosted.Attempt;
        switch (hosted.Answer)
        {
            case HostRefused refused:
                _log.Info("Node {NodeId} refused to host {PipelineId} ({Reason}); trying the next", home, place.PipelineId, refused.Reason);
                _recent.GetValueOrDefault(home)?.Remove(place.PipelineId);
                Attempt(place, sender, tried);
                return;
            case Exception e:
                _log.Warning("Node {NodeId} did not answer for {PipelineId} in time ({Reason})", home, place.PipelineId, e.Message);
                sender.Tell(new CommandRejected(place.PipelineId, PipelineActions.Create, RejectionCodes.Timeout,
                    $"node {home}, chosen to host the pipeline, did not answer within {_settings.HostTimeout.TotalSeconds:0} s"));
                break;
            default:
                sender.Tell(hosted.Answer);
                break;
        }

        // The create has reached its shard (or failed): the commands that waited behind it follow it, in order.
        Release(place.PipelineId);
    }

    private void Release(string pipelineId)
    {
        foreach (var (command, from) in _waiting.GetValueOrDefault(pipelineId) ?? [])
        {
            Pipelines.Tell(command, from);
        }

        _waiting.Remove(pipelineId);
    }

    /// <summary>
    /// This node as a home: the create must be for a pipeline that fits here, by its own <c>PLACEMENT</c> and this node's
    /// own heartbeat (a member whose view differs is told so and tries its next choice); then the local region takes it.
    /// </summary>
    private void HostHere(PipelineCommandRequest? create, bool wake)
    {
        if (create?.Command is null || string.IsNullOrEmpty(create.PipelineId))
        {
            Sender.Tell(new HostRefused(create?.PipelineId ?? "", "it carries no create"));
            return;
        }

        if (Fit(create, wake) is { } misfit)
        {
            Sender.Tell(new HostRefused(create.PipelineId, misfit));
            return;
        }

        if (!ClusterSharding.Get(Context.System).ShardTypeNames.Contains(PipelineEntity.TypeName))
        {
            // A starting node: others may see its heartbeat before its region is up. The asker tries the next home.
            Sender.Tell(new HostRefused(create.PipelineId, "this node's pipeline region has not started yet"));
            return;
        }

        if (wake)
        {
            Pipelines.Tell(new GetPipelineStatus(create.PipelineId), Self);
        }
        else
        {
            Pipelines.Forward(create);
        }
    }

    /// <summary>
    /// Why the create can't be hosted here, or null: it must be the owner's own signed create (fresh, unless it wakes a
    /// pipeline that already exists) for the pipeline it names, and fit this node by its <c>PLACEMENT</c> and this node's
    /// own heartbeat. Nothing reaches the region before that, so junk never starts an entity.
    /// </summary>
    private string? Fit(PipelineCommandRequest create, bool wake)
    {
        var (requirements, refusal) = OpenCreate(create, wake);
        if (requirements is null)
        {
            return refusal;
        }

        var self = _heartbeats.FirstOrDefault(h => AccountAddress.Same(h.NodeId, _nodeId));
        if (self is null)
        {
            return "this node has not seen its own heartbeat yet";
        }

        _board.Know(create.PipelineId, requirements);
        return requirements.Misfit(self, PlacementRequirements.OwnerOf(create.PipelineId));
    }

    /// <summary>
    /// The owner's own signed create for the pipeline it names (fresh unless <paramref name="anyAge"/>) and its valid
    /// requirements; or why not.
    /// </summary>
    private (PlacementRequirements? Requirements, string Refusal) OpenCreate(PipelineCommandRequest create, bool anyAge)
    {
        CommandEnvelope command;
        try
        {
            command = CommandEnvelope.Open(create.Command, _services.Verifier, _services.Settings.NetworkId, _services.Time.GetUtcNow(),
                anyAge ? TimeSpan.MaxValue : _services.Settings.CommandFreshness, _services.Settings.MaxCommandBytes);
        }
        catch (CommandRejectedException e)
        {
            return (null, $"its create does not hold: {e.Code} {e.Reason}");
        }

        if (command.Action != PipelineActions.Create || command.PipelineId != create.PipelineId
            || !AccountAddress.Same(command.Signer, command.Owner))
        {
            return (null, "not its owner's create for the pipeline it names");
        }

        var errors = new List<SpecError>();
        var requirements = command.Payload is JsonObject payload ? PlacementRequirements.FromSpec(payload, errors) : PlacementRequirements.None;
        return errors.Count > 0 ? (null, $"its placement is invalid: {string.Join("; ", errors.Select(e => e.ToString()))}") : (requirements, "");
    }

    /// <summary>
    /// On the coordinator's node: the node sharding has the pipeline's shard on gives it up (a create it was handed does not fit
    /// it). Taken only signed by that node (its verified heartbeat address is where the shard is), fresh, for the owner's own
    /// create; the new home is this node's own choice, never the sender's; the next rebalance moves the shard
    /// (<see cref="PipelineAllocationStrategy"/>).
    /// </summary>
    private void OnMisplaced(ShardMisplaced misplaced)
    {
        var problem = misplaced?.Create is null ? "it carries no create"
            : misplaced.Problem(_services.Verifier, _services.Settings.NetworkId, _services.Time.GetUtcNow(), _services.Settings.CommandFreshness);
        if (problem is not null || misplaced is null)
        {
            _log.Warning("A shard release for {PipelineId} was refused: {Reason}", misplaced?.PipelineId, problem);
            return;
        }

        var giver = _heartbeats.FirstOrDefault(h => AccountAddress.Same(h.NodeId, misplaced.NodeId));
        if (giver is null || _board.HomeOf(misplaced.PipelineId) != giver.AkkaAddress)
        {
            return; // only the node holding the shard may give it up
        }

        var (requirements, refusal) = OpenCreate(misplaced.Create, anyAge: true);
        if (requirements is null || misplaced.Create.PipelineId != misplaced.PipelineId)
        {
            _log.Warning("Node {NodeId} gave up pipeline {PipelineId} with a create that does not hold: {Reason}", giver.NodeId, misplaced.PipelineId, refusal);
            return;
        }

        var candidates = Live().Where(n => n.Resources.AkkaAddress != giver.AkkaAddress).Select(n => new PlacementCandidate(n, n.Resources.Pipelines.Length)).ToList();
        if (PlacementPolicy.Rank(misplaced.PipelineId, requirements, candidates, _settings) is [var best, ..]
            && _board.TargetOf(misplaced.PipelineId) != best.Node.Resources.AkkaAddress)
        {
            _log.Info("Pipeline {PipelineId} does not fit node {NodeId}, which holds its shard; moving it to {Home}", misplaced.PipelineId, giver.NodeId, best.Node.Resources.NodeId);
            _board.Know(misplaced.PipelineId, requirements);
            _board.Target(misplaced.PipelineId, best.Node.Resources.AkkaAddress);
        }
    }

    /// <summary>
    /// Tries each pending create again; one whose signed time is older than the command freshness window is dropped (no home
    /// takes it; a home refusing it, hostile or not, does not restart its clock).
    /// </summary>
    private void RetryPending()
    {
        var now = _services.Time.GetUtcNow();
        foreach (var (place, sender, _) in _pending.Values.ToList())
        {
            if (now - DateTimeOffset.FromUnixTimeMilliseconds(place.SignedAtMs) > _services.Settings.CommandFreshness)
            {
                _pending.Remove(place.PipelineId);
                _log.Warning("Pipeline {PipelineId}'s pending create was dropped: no node fitted it within {Seconds} s", place.PipelineId,
                    _services.Settings.CommandFreshness.TotalSeconds);
                continue;
            }

            if (!_waiting.ContainsKey(place.PipelineId))
            {
                Attempt(place, sender, []);
            }
        }
    }

    /// <summary>Why one more pending create is refused (the front door's total, or this owner's share of it), or null.</summary>
    private string? TooManyPending(string pipelineId)
    {
        if (_pending.Count >= _settings.MaxPending)
        {
            return $"this node holds {_pending.Count} creates that no node fits yet, as many as it keeps; try again later";
        }

        var owner = PlacementRequirements.OwnerOf(pipelineId);
        var owners = _pending.Keys.Count(id => AccountAddress.Same(PlacementRequirements.OwnerOf(id), owner));
        return owners >= _settings.MaxPendingPerOwner
            ? $"this node holds {owners} creates of {owner} that no node fits yet, as many as it keeps for one owner; try again later"
            : null;
    }

    private bool ViewReady() => _heartbeats.Any(h => AccountAddress.Same(h.NodeId, _nodeId));

    /// <summary>The verified heartbeats of Up members, with reachability as this member's failure detector sees it.</summary>
    private IEnumerable<NetworkNode> Live()
    {
        var state = _cluster.State;
        var up = state.Members.Where(m => m.Status == MemberStatus.Up).Select(m => m.Address.ToString()).ToHashSet();
        var unreachable = state.Unreachable.Select(m => m.Address.ToString()).ToHashSet();
        return _heartbeats.Where(h => up.Contains(h.AkkaAddress)).Select(h => new NetworkNode(h, !unreachable.Contains(h.AkkaAddress)));
    }

    private sealed record HostAttempt(PlacePipeline Place, IActorRef Sender, ImmutableHashSet<string> Tried, string Home);

    private sealed record Hosted(HostAttempt Attempt, object Answer);

    private sealed record RetryTick
    {
        public static RetryTick Instance { get; } = new();
    }
}

/// <summary>Codes of placement answers.</summary>
public static class PlacementCodes
{
    /// <summary>Accepted, but no node fits yet: the pipeline is placed as soon as one does.</summary>
    public const string Pending = "PENDING_PLACEMENT";
}
