namespace Naeural.Ledger.Epochs;

/// <summary>
/// Fixed-length epochs counted from a genesis time (e.g. one hour; seconds in tests), each divided into heartbeat slots: a node
/// is available in a slot when a heartbeat of it was seen during that slot.
/// </summary>
public sealed record EpochClock(DateTimeOffset Genesis, TimeSpan Length, TimeSpan HeartbeatInterval)
{
    public int SlotsPerEpoch => (int)Math.Max(1, Math.Round(Length / HeartbeatInterval));

    public long EpochAt(DateTimeOffset time) => (long)Math.Floor((time - Genesis) / Length);

    public DateTimeOffset StartOf(long epoch) => Genesis + (Length * epoch);

    /// <summary>The slot of <paramref name="time"/> within its epoch (0 .. SlotsPerEpoch - 1).</summary>
    public int SlotAt(DateTimeOffset time) =>
        Math.Clamp((int)Math.Floor((time - StartOf(EpochAt(time))) / HeartbeatInterval), 0, SlotsPerEpoch - 1);
}
