using System.Collections.Immutable;
using Akka.Actor;
using Akka.Cluster.Sharding;
using Akka.DistributedData;
using Akka.Event;
using Naeural.Actors.Commands;
using Naeural.Actors.Network;
using Naeural.Actors.Pipelines;
using Naeural.Actors.Security;

namespace Naeural.Actors.Placement;

/// <summary>
/// One per node (<c>/user/placement</c>). At the front door, records each new pipeline's requirements in the replicated
/// registry before its create command reaches sharding; on the member running the shard coordinators, answers the
/// allocation strategies with <see cref="PlacementPolicy"/> over the gossiped network view. Decisions are taken one at a
/// time and remembered until sharding's allocations show them, so a burst of new pipelines spreads instead of all
/// landing on the node that looked idlest at the start of the burst. Requirements are written signed by this node
/// (<see cref="SignedPlacement"/>); entries that do not verify under their pipeline id are ignored (checked once per entry
/// version), the last good one kept while a bad one sits over it.
/// </summary>
public sealed class PlacementAdvisor : ReceiveActor, IWithTimers
{
    public const string Name = "placement";

    private static readonly TimeSpan ReplicaTimeout = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan PendingRetry = TimeSpan.FromSeconds(3);
    private readonly IActorRef _networkView;
    private readonly PlacementSettings _settings;
    private readonly IActorRef _replicator = DistributedData.Get(Context.System).Replicator;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly IMessageSigner _signer;
    private readonly ISignatureVerifier _verifier;
    private readonly string _network;
    private readonly VerifiedEntries<SignedPlacement> _verified;
    private ImmutableDictionary<string, PlacementRequirements> _requirements = ImmutableDictionary<string, PlacementRequirements>.Empty;
    private ImmutableDictionary<string, string> _decided = ImmutableDictionary<string, string>.Empty;
    private ImmutableSortedDictionary<string, string> _pending = ImmutableSortedDictionary<string, string>.Empty;
    private readonly Dictionary<string, List<(PipelineCommandRequest Command, IActorRef Sender)>> _waiting = [];

    public PlacementAdvisor(IActorRef networkView, PlacementSettings settings, IMessageSigner signer, ISignatureVerifier verifier, string network)
    {
        _networkView = networkView;
        _settings = settings;
        _signer = signer;
        _verifier = verifier;
        _network = network;
        _verified = new VerifiedEntries<SignedPlacement>(
            (pipelineId, entry) => SignedPlacement.Problem(pipelineId, entry, verifier, network),
            (pipelineId, why) => _log.Warning("Placement requirements of {PipelineId} ignored: {Reason}", pipelineId, why));

        Receive<Changed>(changed => changed.Key.Equals(PlacementKeys.Requirements), changed =>
        {
            if (_verified.Read(changed.Get(PlacementKeys.Requirements).Entries))
            {
                _requirements = _verified.Accepted.ToImmutableDictionary(e => e.Key, e => e.Value.Requirements);
            }
        });
        Receive<PlacePipeline>(Place);
        Receive<RouteCommand>(Route);
        Receive<UpdateSuccess>(success => success.Request is RequirementsWrite, success => Written((RequirementsWrite)success.Request!, success));
        Receive<IUpdateFailure>(failure => failure.Request is RequirementsWrite, failure => Written((RequirementsWrite)failure.Request!, failure));
        Receive<RequirementsRegistered>(Registered);
        ReceiveAsync<ChooseHome>(ChooseHome);
        ReceiveAsync<ChooseRebalance>(ChooseRebalance);
        Receive<GetPendingPlacements>(_ => Sender.Tell(new PendingPlacements(_pending)));
        Receive<WakePending>(_ =>
        {
            // Nobody may be sending to a pending pipeline (one remembered by sharding, waking after a restart): a harmless
            // query makes sharding ask for its home again, so it is placed once a fitting node is there.
            foreach (var pipelineId in _pending.Keys)
            {
                Pipelines.Tell(new GetPipelineStatus(pipelineId), Self);
            }
        });
        Receive<PipelineStatusReport>(_ => { });
    }

    public ITimerScheduler Timers { get; set; } = null!;

    /// <param name="signer">This node's key: it signs the requirements its front door registers.</param>
    /// <param name="verifier">Checks the writers' signatures on the replicated requirements.</param>
    /// <param name="network">The network requirements are signed for (<c>--network-id</c>).</param>
    public static Props Props(IActorRef networkView, PlacementSettings settings, IMessageSigner signer, ISignatureVerifier verifier, string network) =>
        Akka.Actor.Props.Create(() => new PlacementAdvisor(networkView, settings, signer, verifier, network));

    private IActorRef Pipelines => ClusterSharding.Get(Context.System).ShardRegion(PipelineEntity.TypeName);

    protected override void PreStart()
    {
        _replicator.Tell(Dsl.Subscribe(PlacementKeys.Requirements, Self));
        Timers.StartPeriodicTimer("wake-pending", WakePending.Instance, PendingRetry);
    }

    /// <summary>
    /// Registers the requirements (majority write, many in flight at once); until the write is done, later commands for the
    /// same pipeline wait behind its create, so they reach sharding in the order they came.
    /// </summary>
    private void Place(PlacePipeline place)
    {
        if (_waiting.TryGetValue(place.PipelineId, out var queue))
        {
            queue.Add((place.Command, Sender));
            return;
        }

        _waiting[place.PipelineId] = [];
        _requirements = _requirements.SetItem(place.PipelineId, place.Requirements);
        var signed = SignedPlacement.Sign(place.PipelineId, place.Requirements, _signer, _network);
        _replicator.Tell(Dsl.Update(PlacementKeys.Requirements, LWWDictionary<string, SignedPlacement>.Empty,
            new WriteMajority(ReplicaTimeout), new RequirementsWrite(place, Sender),
            map => map.SetItem(Akka.Cluster.Cluster.Get(Context.System), place.PipelineId, signed)));
    }

    private void Route(RouteCommand route)
    {
        if (_waiting.TryGetValue(route.Command.PipelineId, out var queue))
        {
            queue.Add((route.Command, Sender));
        }
        else
        {
            Pipelines.Forward(route.Command);
        }
    }

    private void Written(RequirementsWrite write, object outcome)
    {
        if (outcome is not UpdateSuccess)
        {
            _log.Warning("Requirements of {PipelineId} reached fewer than a majority of members ({Outcome}); they spread by gossip", write.Place.PipelineId, outcome);
        }

        _networkView.Ask<NetworkSnapshot>(GetNodes.Instance, ReplicaTimeout)
            .PipeTo(Self, success: snapshot => new RequirementsRegistered(write, snapshot), failure: _ => new RequirementsRegistered(write, null));
    }

    private void Registered(RequirementsRegistered registered)
    {
        var (place, sender) = (registered.Write.Place, registered.Write.Sender);
        if (registered.Snapshot is { Nodes.Length: > 0 } snapshot)
        {
            var choice = PlacementPolicy.Choose(place.PipelineId, place.Requirements, [.. snapshot.Nodes.Select(n => new PlacementCandidate(n, 0))], _settings);
            if (choice.Node is null)
            {
                // Still handed to sharding below: it stays pending there, retried until a fitting node joins.
                sender.Tell(new CommandAccepted(place.PipelineId, PipelineActions.Create, 0, PlacementCodes.Pending, choice.Reason!));
            }
        }

        Pipelines.Tell(place.Command, sender);
        foreach (var (command, from) in _waiting[place.PipelineId])
        {
            Pipelines.Tell(command, from);
        }

        _waiting.Remove(place.PipelineId);
    }

    private async Task ChooseHome(ChooseHome choose)
    {
        var sender = Sender;
        PlacementRequirements requirements;
        NetworkSnapshot snapshot;
        try
        {
            requirements = await RequirementsOf(choose.PipelineId);
            snapshot = await _networkView.Ask<NetworkSnapshot>(GetNodes.Instance, ReplicaTimeout);
        }
        catch (Exception e) when (e is AskTimeoutException or TaskCanceledException)
        {
            sender.Tell(new HomeChosen(null, $"the network view did not answer in time: {e.Message}"));
            return;
        }

        var counts = choose.PipelinesByAddress.ToDictionary(p => p.Key, p => p.Value);
        foreach (var address in _decided.Where(d => d.Key != choose.PipelineId).Select(d => d.Value))
        {
            counts[address] = counts.GetValueOrDefault(address) + 1; // decided, not yet in sharding's allocations
        }

        var candidates = snapshot.Nodes
            .Where(n => counts.ContainsKey(n.Resources.AkkaAddress))
            .Select(n => new PlacementCandidate(n, counts[n.Resources.AkkaAddress]))
            .ToList();
        var choice = PlacementPolicy.Choose(choose.PipelineId, requirements, candidates, _settings);
        if (choice.Node is { } node)
        {
            _decided = _decided.SetItem(choose.PipelineId, node.Resources.AkkaAddress);
            _pending = _pending.Remove(choose.PipelineId);
            sender.Tell(new HomeChosen(node.Resources.AkkaAddress, null));
        }
        else
        {
            if (!_pending.ContainsKey(choose.PipelineId))
            {
                _log.Warning("Pipeline {0} is pending: {1}", choose.PipelineId, choice.Reason);
            }

            _pending = _pending.SetItem(choose.PipelineId, choice.Reason!);
            sender.Tell(new HomeChosen(null, choice.Reason));
        }
    }

    private async Task ChooseRebalance(ChooseRebalance choose)
    {
        var sender = Sender;
        var allocated = choose.PipelinesByAddress.SelectMany(p => p.Value).ToHashSet();
        _decided = _decided.RemoveRange(_decided.Keys.Where(allocated.Contains)); // sharding knows them now
        if (!_settings.Rebalance)
        {
            sender.Tell(new RebalanceChosen([]));
            return;
        }

        NetworkSnapshot snapshot;
        try
        {
            snapshot = await _networkView.Ask<NetworkSnapshot>(GetNodes.Instance, ReplicaTimeout);
        }
        catch (Exception e) when (e is AskTimeoutException or TaskCanceledException)
        {
            sender.Tell(new RebalanceChosen([]));
            return;
        }

        var byNode = snapshot.Nodes
            .Where(n => choose.PipelinesByAddress.ContainsKey(n.Resources.AkkaAddress))
            .ToDictionary(n => n.Resources.NodeId, n => choose.PipelinesByAddress[n.Resources.AkkaAddress]);
        sender.Tell(new RebalanceChosen(PlacementPolicy.Rebalance(byNode, snapshot.Nodes,
            id => _requirements.GetValueOrDefault(id) ?? PlacementRequirements.None, _settings)));
    }

    /// <summary>The registered requirements; if this replica hasn't heard of them yet, a majority read.</summary>
    private async Task<PlacementRequirements> RequirementsOf(string pipelineId)
    {
        if (_requirements.TryGetValue(pipelineId, out var known))
        {
            return known;
        }

        var read = await _replicator.Ask<IGetResponse>(Dsl.Get(PlacementKeys.Requirements, new ReadMajority(ReplicaTimeout)), ReplicaTimeout + ReplicaTimeout);
        return read is GetSuccess success && success.Get(PlacementKeys.Requirements).TryGetValue(pipelineId, out var found)
            && SignedPlacement.Problem(pipelineId, found, _verifier, _network) is null
            ? found.Requirements
            : PlacementRequirements.None;
    }
}

/// <summary>Codes of placement answers.</summary>
public static class PlacementCodes
{
    /// <summary>Accepted, but no node fits yet: the pipeline is placed as soon as one does.</summary>
    public const string Pending = "PENDING_PLACEMENT";
}

/// <summary>The context of a requirements write: the create it precedes and who sent it.</summary>
internal sealed record RequirementsWrite(PlacePipeline Place, IActorRef Sender);

/// <summary>A requirements write is done (on a majority, or timed out); the network as it is now, if the view answered.</summary>
internal sealed record RequirementsRegistered(RequirementsWrite Write, NetworkSnapshot? Snapshot);

/// <summary>Timer: nudge sharding about every pending pipeline.</summary>
internal sealed record WakePending
{
    public static WakePending Instance { get; } = new();
}
