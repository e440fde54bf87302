namespace Naeural.Ledger.Channels;

/// <summary>What the payee does about a channel after reading its record on the settlement layer.</summary>
public enum ChannelWatchAction
{
    /// <summary>Keep accepting vouchers and watching.</summary>
    Watch,

    /// <summary>Stop accepting vouchers and settle the best one now (a close was requested, or expiry is near).</summary>
    SettleNow,

    /// <summary>The channel was settled (or reclaimed) on the settlement layer: it is over.</summary>
    Ended,
}

/// <summary>
/// The payee's decision on a channel, pure: over once the settlement layer says it is settled; settle at once when the payer
/// requested a close (the dispute window is the payee's only chance) or when less than the margin is left before expiry.
/// </summary>
public static class ChannelWatch
{
    /// <param name="record">The channel's record as the settlement layer holds it now (null: not known there).</param>
    /// <param name="expiresAt">The expiry the payee tracked.</param>
    public static (ChannelWatchAction Action, string Reason) Decide(ChannelRecord? record, DateTimeOffset expiresAt, DateTimeOffset now, TimeSpan settleBeforeExpiry)
    {
        if (record is { Settled: true })
        {
            return (ChannelWatchAction.Ended, $"the channel is settled on the settlement layer ({record.PaidToPayee} paid to the payee)");
        }

        if (record?.CloseRequestedUntil is { } until)
        {
            return (ChannelWatchAction.SettleNow, $"the payer requested a close; the dispute window ends at {until:u}");
        }

        return now >= expiresAt - settleBeforeExpiry
            ? (ChannelWatchAction.SettleNow, $"the channel expires at {expiresAt:u}, less than {settleBeforeExpiry.TotalMinutes:0} minutes from now")
            : (ChannelWatchAction.Watch, "open");
    }
}
