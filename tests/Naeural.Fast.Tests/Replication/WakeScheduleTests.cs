using Naeural.Actors.Replication;
using Xunit;

namespace Naeural.Fast.Tests.Replication;

public sealed class WakeScheduleTests
{
    private static readonly ReplicationSettings Settings = ReplicationSettings.Default;
    private static readonly DateTimeOffset T0 = new(2026, 12, 7, 3, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_new_pipeline_listed_by_the_member_that_shared_it_is_not_woken_its_first_check_comes_a_check_interval_later()
    {
        // Every holder used to wake each new pipeline as soon as a heartbeat listed it: three wakes (a verified create, a
        // status ask through sharding) per create, for nothing.
        var first = WakeSchedule.Decide(null, listed: true, listedByItsWriter: true, T0, Settings);
        Assert.False(first.Wake);

        var soon = WakeSchedule.Decide(first.Next, listed: true, listedByItsWriter: false, T0 + Settings.WakeInterval * 15 - TimeSpan.FromSeconds(1), Settings);
        Assert.False(soon.Wake);

        var check = WakeSchedule.Decide(first.Next, listed: true, listedByItsWriter: false, T0 + Settings.WakeInterval * 15, Settings);
        Assert.True(check.Wake);
        Assert.Equal(0, check.Attempt);
    }

    [Fact]
    public void A_pipeline_first_listed_by_another_member_than_the_one_that_shared_it_is_checked_at_once()
    {
        // A member claiming in its heartbeat a pipeline it may not run (or any listing after a restart, when nobody's share
        // was seen) does not put the check off.
        var first = WakeSchedule.Decide(null, listed: true, listedByItsWriter: false, T0, Settings);

        Assert.True(first.Wake);
        Assert.Equal(0, first.Attempt);
        Assert.False(WakeSchedule.Decide(first.Next, listed: true, listedByItsWriter: false, T0 + Settings.WakeInterval * 2, Settings).Wake);
    }

    [Fact]
    public void A_pipeline_no_heartbeat_lists_is_woken_at_once_then_every_wake_interval_on_its_next_home()
    {
        var first = WakeSchedule.Decide(null, listed: false, listedByItsWriter: false, T0, Settings);
        Assert.True(first.Wake);
        Assert.Equal(0, first.Attempt);

        Assert.False(WakeSchedule.Decide(first.Next, listed: false, listedByItsWriter: false, T0 + Settings.WakeInterval / 2, Settings).Wake);
        var second = WakeSchedule.Decide(first.Next, listed: false, listedByItsWriter: false, T0 + Settings.WakeInterval, Settings);
        Assert.True(second.Wake);
        Assert.Equal(1, second.Attempt); // the next ranked home: one that drops wakes can't hold it
    }

    [Theory]
    [InlineData(20)]
    [InlineData(1)]
    public void A_pipeline_whose_host_is_lost_after_it_was_seen_running_is_woken_a_wake_interval_after_it_was_first_seen_at_most(double lostAfterSeconds)
    {
        var seen = WakeSchedule.Decide(null, listed: true, listedByItsWriter: true, T0, Settings);
        var lostAt = T0 + TimeSpan.FromSeconds(lostAfterSeconds);

        var (wake, attempt, next) = WakeSchedule.Decide(seen.Next, listed: false, listedByItsWriter: false, lostAt, Settings);
        if (!wake)
        {
            Assert.True(lostAt - T0 < Settings.WakeInterval);
            (wake, attempt, _) = WakeSchedule.Decide(seen.Next, listed: false, listedByItsWriter: false, T0 + Settings.WakeInterval, Settings);
        }

        Assert.True(wake);
        Assert.Equal(0, attempt);
        Assert.True(lostAfterSeconds < Settings.WakeInterval.TotalSeconds || next is { Attempts: 1 });
    }
}
