using Naeural.Actors.Payloads;
using Xunit;

namespace Naeural.Fast.Tests.Pipelines;

public sealed class SubscriptionCursorsTests
{
    private static readonly TimeSpan Freshness = TimeSpan.FromMinutes(5);

    [Fact]
    public void One_subscription_acknowledging_far_ahead_forgets_nothing_another_has_not_acknowledged()
    {
        var cursors = new SubscriptionCursors();
        cursors.Open(new PayloadSubscriptionOpened("phone-of-owner", 10, "nonce-0001", 0), lastSequence: 100, Freshness);
        cursors.Open(new PayloadSubscriptionOpened("laptop-of-owner", 40, "nonce-0002", 0), lastSequence: 100, Freshness);
        Assert.Equal(10, cursors.Floor);

        cursors.Acknowledge(new SubscriptionAcknowledged("laptop-of-owner", 100));
        Assert.Equal(10, cursors.Floor);

        cursors.Acknowledge(new SubscriptionAcknowledged("phone-of-owner", 60));
        Assert.Equal(60, cursors.Floor);
    }

    [Fact]
    public void An_unknown_subscription_moves_nothing_and_an_expired_one_stops_holding_payloads_back()
    {
        var cursors = new SubscriptionCursors();
        cursors.Open(new PayloadSubscriptionOpened("gone-away", 5, "nonce-0001", 0), lastSequence: 50, Freshness);
        cursors.Open(new PayloadSubscriptionOpened("still-here", 30, "nonce-0002", 0), lastSequence: 50, Freshness);

        cursors.Acknowledge(new SubscriptionAcknowledged("never-opened", 50));
        Assert.Equal(5, cursors.Floor);

        cursors.Expire(new PayloadSubscriptionExpired("gone-away"));
        Assert.Equal(30, cursors.Floor);

        cursors.Expire(new PayloadSubscriptionExpired("still-here"));
        Assert.Equal(30, cursors.Floor); // with no subscription left, nothing more is forgotten
    }
}
