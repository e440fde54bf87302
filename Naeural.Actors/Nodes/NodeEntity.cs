using Akka.Actor;
using Akka.Event;
using Akka.Persistence;
using Naeural.Actors.Security;

namespace Naeural.Actors.Nodes;

/// <summary>
/// The sharded, persistent record of one node of the network (entity id = shard id = the node's id): what it offers and
/// since when. Its shard lives on the node itself (<see cref="NodeHomeAllocationStrategy"/>), so the record is kept in that
/// node's own store and survives its restarts, and any member reaches it by node id through sharding
/// (<see cref="GetNodeRecord"/>). The node's heartbeat carries the first-recorded time, which placement reads as seniority
/// (<see cref="Placement.PlacementPolicy.Score"/>). Commands are validated first, then an event is persisted, and state
/// changes only when the event is applied; only the node's own publisher records an offer (a local-only message).
/// </summary>
public sealed class NodeEntity : ReceivePersistentActor
{
    /// <summary>The shard region's type name.</summary>
    public const string TypeName = "node";

    private const int SnapshotEvery = 50;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private NodeRecord _state;

    public NodeEntity(string nodeId)
    {
        _state = new NodeRecord(nodeId, null, null, null, null, 0);
        PersistenceId = $"node-{nodeId}";

        Recover<NodeOfferRecorded>(Apply);
        Recover<SnapshotOffer>(offer =>
        {
            if (offer.Snapshot is NodeRecord record)
            {
                _state = record;
            }
        });

        Command<RecordNodeOffer>(Handle);
        Command<GetNodeRecord>(_ => Sender.Tell(_state));
        Command<Sharding.StopEntity>(_ => Context.Stop(Self));
        Command<SaveSnapshotSuccess>(_ => { });
        Command<SaveSnapshotFailure>(f => _log.Warning(f.Cause, "Snapshot of {PersistenceId} failed", PersistenceId));
    }

    public override string PersistenceId { get; }

    public static Props Props(string nodeId) => Akka.Actor.Props.Create(() => new NodeEntity(nodeId));

    private void Handle(RecordNodeOffer command)
    {
        if (!AccountAddress.Same(command.NodeId, _state.NodeId))
        {
            Sender.Tell(new Status.Failure(new ArgumentException($"offer for {command.NodeId} sent to {_state.NodeId}")));
            return;
        }

        if (_state.Offer is { } current && SameOffer(current, command.Offer) && _state.AkkaAddress == command.AkkaAddress)
        {
            Sender.Tell(new NodeOfferRecordedAck(_state.NodeId, _state.Version, _state.FirstRecorded));
            return;
        }

        Persist(new NodeOfferRecorded(command.AkkaAddress, command.Offer, DateTimeOffset.UtcNow), e =>
        {
            Apply(e);
            Sender.Tell(new NodeOfferRecordedAck(_state.NodeId, _state.Version, _state.FirstRecorded));
            if (LastSequenceNr % SnapshotEvery == 0)
            {
                SaveSnapshot(_state);
            }
        });
    }

    private void Apply(NodeOfferRecorded e) =>
        _state = _state with
        {
            AkkaAddress = e.AkkaAddress,
            Offer = e.Offer,
            FirstRecorded = _state.FirstRecorded ?? e.At,
            LastRecorded = e.At,
            Version = _state.Version + 1,
        };

    private static bool SameOffer(NodeOffer a, NodeOffer b) =>
        a.Alias == b.Alias && a.PricePerUnit == b.PricePerUnit
        && a.Tags.SequenceEqual(b.Tags) && a.AllowedOwners.SequenceEqual(b.AllowedOwners) && a.Secured == b.Secured;
}
