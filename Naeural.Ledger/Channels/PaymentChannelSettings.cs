using Naeural.Actors.Security;

namespace Naeural.Ledger.Channels;

/// <summary>How a payee's <see cref="PaymentChannelEntity"/> guards its money.</summary>
public sealed record PaymentChannelSettings
{
    /// <summary>
    /// The network this node is on: a settle signed by the payer or payee (<see cref="SettleChannel.Sign"/>) must be signed for it.
    /// </summary>
    public string Network { get; init; } = NetworkIds.Default;

    /// <summary>
    /// Time kept in hand before the channel expires: from then on no voucher is accepted, and the payee settles its best at once
    /// (after expiry the payer may reclaim the whole deposit).
    /// </summary>
    public TimeSpan SettleBeforeExpiry { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// How often the payee reads the channel's record on the settlement layer, to learn of a close request (it then settles at
    /// once) and to settle before expiry. Keep it well under the dispute window (at least one hour on both backends).
    /// </summary>
    public TimeSpan WatchInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Fails, naming the setting, when a value can't work.</summary>
    public PaymentChannelSettings Validated()
    {
        if (NetworkIds.Problem(Network) is { } network)
        {
            throw new ArgumentException($"{nameof(PaymentChannelSettings)}.{nameof(Network)}: {network}");
        }

        if (SettleBeforeExpiry <= TimeSpan.Zero || WatchInterval <= TimeSpan.Zero || WatchInterval >= TimeSpan.FromHours(1))
        {
            throw new ArgumentException($"{nameof(PaymentChannelSettings)}: {nameof(SettleBeforeExpiry)} must be positive and {nameof(WatchInterval)} between 0 and 1 hour (the shortest dispute window), not {SettleBeforeExpiry} and {WatchInterval}");
        }

        return this;
    }
}
