using System.Collections.Immutable;
using Akka.Actor;
using Akka.Persistence;
using Naeural.Actors.Serialization;

namespace Naeural.Ledger.Epochs;

/// <summary>
/// This node's persistent record of past epochs: its own signed availability table, the result it agreed with the other
/// observers, and every observer signature collected for that result (what a reward claim needs). Child of nothing: one per
/// node, next to its <see cref="EpochObserver"/>, which alone writes to it.
/// </summary>
public sealed class EpochArchive : ReceivePersistentActor
{
    public const string Name = "epoch-archive";

    private const int SnapshotEvery = 200;
    private ImmutableSortedDictionary<long, EpochReport> _epochs = ImmutableSortedDictionary<long, EpochReport>.Empty;

    public EpochArchive(string nodeId)
    {
        PersistenceId = $"epochs-{nodeId.ToLowerInvariant()}";

        Recover<IEpochArchiveEvent>(Apply);
        Recover<SnapshotOffer>(offer => _epochs = ((EpochArchiveSnapshot)offer.Snapshot).Epochs);

        Command<RecordEpochResult>(record => Persist(new EpochResultRecorded(record.OwnTable, record.Result, record.OwnSignature), Apply));
        Command<RecordEpochWithoutQuorum>(record => Persist(new EpochResultRecorded(record.OwnTable, null, null), Apply));
        Command<AddEpochSignature>(add =>
        {
            if (_epochs.TryGetValue(add.Epoch, out var report) && report.Result is not null && !report.Signatures.Contains(add.Signature))
            {
                Persist(new EpochSignatureRecorded(add.Epoch, add.Signature), Apply);
            }
        });
        Command<GetEpochReport>(get =>
        {
            var epoch = get.Epoch ?? (_epochs.IsEmpty ? -1 : _epochs.Keys.Last());
            Sender.Tell(_epochs.GetValueOrDefault(epoch) ?? EpochReport.Unknown(epoch));
        });
        Command<SaveSnapshotSuccess>(_ => { });
        Command<SaveSnapshotFailure>(_ => { });
    }

    public override string PersistenceId { get; }

    public static Props Props(string nodeId) => Akka.Actor.Props.Create(() => new EpochArchive(nodeId));

    /// <summary>The one place the archive's journal changes its state, recovering or persisting.</summary>
    private void Apply(IEpochArchiveEvent e)
    {
        switch (e)
        {
            case EpochResultRecorded recorded:
                Apply(recorded);
                break;
            case EpochSignatureRecorded signature:
                Apply(signature);
                break;
            default:
                throw new InvalidOperationException($"no rule applies {e.GetType().Name} to the epoch archive");
        }
    }

    private void Apply(EpochResultRecorded e)
    {
        var epoch = e.OwnTable.Epoch;
        _epochs = _epochs.SetItem(epoch, new EpochReport(epoch, true, e.OwnTable, e.Result, e.OwnSignature is null ? [] : [e.OwnSignature]));
        MaybeSnapshot();
    }

    private void Apply(EpochSignatureRecorded e)
    {
        if (_epochs.TryGetValue(e.Epoch, out var report))
        {
            _epochs = _epochs.SetItem(e.Epoch, report with { Signatures = report.Signatures.Add(e.Signature) });
        }

        MaybeSnapshot();
    }

    private void MaybeSnapshot()
    {
        if (!IsRecovering && LastSequenceNr % SnapshotEvery == 0 && LastSequenceNr > 0)
        {
            SaveSnapshot(new EpochArchiveSnapshot(_epochs));
        }
    }
}

/// <summary>The archive's state, as a snapshot.</summary>
[WireName("ledger.epochs.epoch-archive-snapshot")]
public sealed record EpochArchiveSnapshot(ImmutableSortedDictionary<long, EpochReport> Epochs);
