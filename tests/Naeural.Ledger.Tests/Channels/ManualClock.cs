namespace Naeural.Ledger.Tests.Channels;

/// <summary>A clock the test moves by hand (dispute windows, expiry), instead of waiting.</summary>
public sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start;

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;
}
