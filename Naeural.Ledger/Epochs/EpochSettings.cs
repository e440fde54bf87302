namespace Naeural.Ledger.Epochs;

/// <summary>
/// How a node observes and agrees on epochs. <see cref="MaxGap"/>: the longest silence between two heartbeats of a node that
/// still counts as covered (gossip coalesces heartbeats); <see cref="Grace"/>: how long after an epoch's end the observer
/// waits for late heartbeats before signing its table; <see cref="CollectWindow"/>: how long it then collects the other
/// observers' tables before agreeing; <see cref="ClockTolerance"/>: how far a heartbeat's own time may be from when it
/// arrived before the arrival time is used instead. Results are signed in <see cref="Domain"/>, the settlement layer's (every
/// observer of a network must use the same: the embedded ledger's by default, the contract's on an EVM chain).
/// </summary>
public sealed record EpochSettings(EpochClock Clock, TimeSpan MaxGap, TimeSpan Grace, TimeSpan CollectWindow, TimeSpan ClockTolerance)
{
    /// <summary>The EIP-712 domain results are signed in: the settlement layer's, where rewards are claimed.</summary>
    public Channels.VoucherDomain Domain { get; init; } = Channels.VoucherDomain.Embedded;

    /// <summary>The network availability tables are signed for and checked in (<c>--network-id</c>).</summary>
    public string Network { get; init; } = Naeural.Actors.Security.NetworkIds.Default;

    /// <summary>The DistributedPubSub topic where observers share signed tables and result signatures.</summary>
    public const string Topic = "naeural-epochs";

    /// <summary>Settings derived from the heartbeat and gossip cadence of the network.</summary>
    public static EpochSettings For(DateTimeOffset genesis, TimeSpan length, TimeSpan heartbeat, TimeSpan gossip)
    {
        var cadence = heartbeat > gossip ? heartbeat : gossip;
        return new EpochSettings(
            new EpochClock(genesis, length),
            MaxGap: (heartbeat * 2) + (gossip * 2),
            Grace: (heartbeat * 2) + (gossip * 2),
            CollectWindow: cadence * 3,
            ClockTolerance: (gossip * 3) + TimeSpan.FromSeconds(2));
    }
}
