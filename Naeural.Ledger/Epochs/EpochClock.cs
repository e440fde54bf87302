namespace Naeural.Ledger.Epochs;

/// <summary>Fixed-length epochs counted from a genesis time (e.g. one hour; seconds in tests).</summary>
public sealed record EpochClock(DateTimeOffset Genesis, TimeSpan Length)
{
    public long EpochAt(DateTimeOffset time) => (long)Math.Floor((time - Genesis) / Length);

    public DateTimeOffset StartOf(long epoch) => Genesis + (Length * epoch);

    public DateTimeOffset EndOf(long epoch) => StartOf(epoch + 1);
}
