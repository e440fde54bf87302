using System.Collections.Immutable;
using Akka.Actor;
using Akka.Event;
using Akka.Persistence;
using Naeural.Actors.Security;

namespace Naeural.Actors.Metering;

/// <summary>
/// The node's work meter (<c>/user/work-meter</c>), persistent. Plugin instances (per processed frame) and model servers (per
/// sample) report <see cref="WorkDone"/>; the meter adds it up per owner and, every <see cref="MeteringSettings.ReceiptPeriod"/>,
/// turns each owner's work into a <see cref="WorkReceipt"/>: numbered per owner, priced at this node's price per unit, signed
/// by the node key, persisted, and kept for the owner to fetch (<see cref="GetReceipts"/>). Work not yet in a receipt is held in
/// memory only: a crash loses at most one period of billing, never a receipt.
/// </summary>
public sealed class WorkMeter : ReceivePersistentActor, IWithTimers
{
    private readonly string _nodeId;
    private readonly IMessageSigner _signer;
    private readonly long _pricePerUnit;
    private readonly MeteringSettings _settings;
    private readonly TimeProvider _time;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly Dictionary<string, Dictionary<(string PipelineId, string Source, string Kind), long>> _pending = [];
    private ImmutableDictionary<string, OwnerReceipts> _owners = ImmutableDictionary<string, OwnerReceipts>.Empty;
    private DateTimeOffset _periodStart;

    public WorkMeter(string nodeId, IMessageSigner signer, long pricePerUnit, MeteringSettings settings, TimeProvider time)
    {
        _nodeId = nodeId;
        _signer = signer;
        _pricePerUnit = pricePerUnit;
        _settings = settings;
        _time = time;
        _periodStart = time.GetUtcNow();
        PersistenceId = $"work-meter-{nodeId.ToLowerInvariant()}";

        Recover<WorkReceiptsIssued>(Apply);
        Recover<SnapshotOffer>(offer =>
        {
            if (offer.Snapshot is WorkMeterSnapshot snapshot)
            {
                _owners = snapshot.Owners;
            }
        });

        Command<WorkDone>(Record);
        Command<IssueReceipts>(_ => Issue(ActorRefs.Nobody));
        Command<IssueReceiptsNow>(_ => Issue(Sender));
        Command<GetReceipts>(q =>
        {
            var owner = _owners.GetValueOrDefault(q.Owner.ToLowerInvariant(), OwnerReceipts.Empty);
            var receipts = owner.Receipts.Where(r => r.Sequence > q.AfterSequence).Take(Math.Clamp(q.Max, 1, 1000)).ToImmutableArray();
            Sender.Tell(new WorkReceipts(q.Owner, receipts, owner.LastSequence));
        });
        Command<GetBilled>(q =>
        {
            var owner = _owners.GetValueOrDefault(q.Owner.ToLowerInvariant(), OwnerReceipts.Empty);
            Sender.Tell(new OwnerBilled(q.Owner, owner.Billed, owner.LastSequence));
        });
        Command<SaveSnapshotSuccess>(s => DeleteSnapshots(new SnapshotSelectionCriteria(s.Metadata.SequenceNr - 1)));
        Command<SaveSnapshotFailure>(f => _log.Warning(f.Cause, "Snapshot of {PersistenceId} failed", PersistenceId));
        Command<DeleteSnapshotsSuccess>(_ => { });
        Command<DeleteSnapshotsFailure>(f => _log.Warning(f.Cause, "Deleting old snapshots of {PersistenceId} failed", PersistenceId));
    }

    public override string PersistenceId { get; }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(string nodeId, IMessageSigner signer, long pricePerUnit, MeteringSettings settings, TimeProvider time) =>
        Akka.Actor.Props.Create(() => new WorkMeter(nodeId, signer, pricePerUnit, settings, time));

    protected override void PreStart()
    {
        Timers.StartPeriodicTimer(IssueReceipts.Instance, IssueReceipts.Instance, _settings.ReceiptPeriod);
        base.PreStart();
    }

    private void Record(WorkDone work)
    {
        if (work.Units <= 0 || string.IsNullOrWhiteSpace(work.Owner) || string.IsNullOrWhiteSpace(work.Kind))
        {
            _log.Warning("Ignoring malformed work report {Work}", work);
            return;
        }

        var owner = work.Owner.ToLowerInvariant();
        if (!_pending.TryGetValue(owner, out var lines))
        {
            _pending[owner] = lines = [];
        }

        var key = (work.PipelineId, work.Source, work.Kind);
        lines[key] = checked(lines.GetValueOrDefault(key) + work.Units);
    }

    /// <summary>Closes the period: one signed receipt per owner with pending work, persisted together.</summary>
    private void Issue(IActorRef replyTo)
    {
        var end = _time.GetUtcNow();
        if (_pending.Count == 0)
        {
            _periodStart = end;
            replyTo.Tell(new WorkReceiptsIssuedAck(0));
            return;
        }

        var receipts = _pending.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p =>
        {
            var previous = _owners.GetValueOrDefault(p.Key, OwnerReceipts.Empty);
            var lines = p.Value.Select(l => new WorkLine(l.Key.PipelineId, l.Key.Source, l.Key.Kind, l.Value));
            return WorkReceipt.For(_nodeId, p.Key, previous.LastSequence + 1, _periodStart, end, lines, _pricePerUnit, previous.Billed).Sign(_signer, _settings.NetworkId);
        }).ToImmutableArray();
        _pending.Clear();
        _periodStart = end;
        Persist(new WorkReceiptsIssued(receipts), e =>
        {
            Apply(e);
            replyTo.Tell(new WorkReceiptsIssuedAck(e.Receipts.Length));
            if (LastSequenceNr % _settings.SnapshotEvery == 0)
            {
                SaveSnapshot(new WorkMeterSnapshot(_owners));
            }
        });
    }

    private void Apply(WorkReceiptsIssued e)
    {
        foreach (var receipt in e.Receipts)
        {
            var owner = receipt.Owner.ToLowerInvariant();
            var previous = _owners.GetValueOrDefault(owner, OwnerReceipts.Empty);
            _owners = _owners.SetItem(owner, new OwnerReceipts(receipt.Sequence, receipt.BilledTotal, previous.Receipts.Add(receipt)));
        }
    }

    private sealed record IssueReceipts
    {
        public static IssueReceipts Instance { get; } = new();
    }
}
