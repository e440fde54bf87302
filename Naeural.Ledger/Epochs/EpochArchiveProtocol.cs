using System.Collections.Immutable;
using Naeural.Actors.Serialization;

namespace Naeural.Ledger.Epochs;

/// <summary>Records this node's signed table and the result it agreed for an epoch (with its own signature).</summary>
public sealed record RecordEpochResult(SignedAvailability OwnTable, EpochResult Result, string OwnSignature);

/// <summary>Records another observer's signature over the same result.</summary>
public sealed record AddEpochSignature(long Epoch, string Signature);

/// <summary>Records that an epoch ended without a quorum of tables (no result).</summary>
public sealed record RecordEpochWithoutQuorum(SignedAvailability OwnTable, int Tables, int Observers);

/// <summary>Asks for what this node knows of <see cref="Epoch"/>; null: the latest recorded one.</summary>
[WireName("ledger.epochs.get-epoch-report")]
public sealed record GetEpochReport(long? Epoch = null);

/// <summary>
/// Answers <see cref="GetEpochReport"/>: this node's own table, the agreed result (null without a quorum, or not yet), the
/// signatures collected for it (the first is this node's), and whether the epoch is known at all.
/// </summary>
[WireName("ledger.epochs.epoch-report")]
public sealed record EpochReport(long Epoch, bool Known, SignedAvailability? OwnTable, EpochResult? Result, ImmutableArray<string> Signatures)
{
    public static EpochReport Unknown(long epoch) => new(epoch, false, null, null, []);
}

/// <summary>An event of the epoch archive's journal, applied in one place (<c>EpochArchive.Apply</c>).</summary>
public interface IEpochArchiveEvent;

/// <summary>Event: the epoch's result was agreed (or not, <see cref="Result"/> null).</summary>
[WireName("ledger.epochs.epoch-result-recorded")]
public sealed record EpochResultRecorded(SignedAvailability OwnTable, EpochResult? Result, string? OwnSignature) : IEpochArchiveEvent;

/// <summary>Event: another observer signed the same result.</summary>
[WireName("ledger.epochs.epoch-signature-recorded")]
public sealed record EpochSignatureRecorded(long Epoch, string Signature) : IEpochArchiveEvent;
