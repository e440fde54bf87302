using Naeural.Actors.Serialization;

namespace Naeural.Ledger.Epochs;

/// <summary>
/// Shared on <see cref="EpochSettings.Topic"/>: one observer's signature over the result it agreed for an epoch (carrying the
/// result, so a receiver counts the signature only for the same result).
/// </summary>
[WireName("ledger.epochs.epoch-result-signed")]
public sealed record EpochResultSigned(EpochResult Result, string Observer, string Signature);

/// <summary>Asks an observer where the network's epoch clock stands now.</summary>
[WireName("ledger.epochs.get-epoch-clock")]
public sealed record GetEpochClock
{
    public static GetEpochClock Instance { get; } = new();
}

/// <summary>Answers <see cref="GetEpochClock"/>: the epoch running now, when it began and ends, and the epoch length.</summary>
[WireName("ledger.epochs.epoch-clock-reading")]
public sealed record EpochClockReading(long Current, DateTimeOffset Start, DateTimeOffset End, TimeSpan Length);
