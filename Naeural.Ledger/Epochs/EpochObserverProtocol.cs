namespace Naeural.Ledger.Epochs;

/// <summary>
/// Shared on <see cref="EpochSettings.Topic"/>: one observer's signature over the result it agreed for an epoch (carrying the
/// result, so a receiver counts the signature only for the same result).
/// </summary>
public sealed record EpochResultSigned(EpochResult Result, string Observer, string Signature);

/// <summary>Asks an observer where the network's epoch clock stands now.</summary>
public sealed record GetEpochClock
{
    public static GetEpochClock Instance { get; } = new();
}

/// <summary>Answers <see cref="GetEpochClock"/>: the epoch running now, when it began and ends, and the epoch length.</summary>
public sealed record EpochClockReading(long Current, DateTimeOffset Start, DateTimeOffset End, TimeSpan Length);
