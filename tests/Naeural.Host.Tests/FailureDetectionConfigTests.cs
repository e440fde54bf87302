using Naeural.Testing;
using Xunit;

namespace Naeural.Host.Tests;

public sealed class FailureDetectionConfigTests
{
    [Fact]
    public async Task Unreachable_and_down_after_reach_the_failure_detector_and_the_split_brain_resolver()
    {
        await using var network = await InProcessNetwork.StartAsync(1, _ => new NodeCustomization(
            Options: o => (o.UnreachableAfterSeconds, o.DownAfterSeconds) = (2.5, 4)));
        var config = network[0].System.Settings.Config;

        Assert.Equal(TimeSpan.FromSeconds(2.5), config.GetTimeSpan("akka.cluster.failure-detector.acceptable-heartbeat-pause"));
        Assert.Equal(TimeSpan.FromSeconds(4), config.GetTimeSpan("akka.cluster.split-brain-resolver.stable-after"));
        Assert.Equal("keep-majority", config.GetString("akka.cluster.split-brain-resolver.active-strategy"));
    }

    [Fact]
    public async Task The_split_brain_resolver_never_downs_every_member_for_an_unsettled_view()
    {
        await using var network = await InProcessNetwork.StartAsync(1);
        var settings = new Akka.Cluster.SBR.SplitBrainResolverSettings(network[0].System.Settings.Config);

        // Akka's default ("on": 3/4 of stable-after, at least 4 s) downs the whole network when a member has seen
        // reachability unsettled for stable-after + that margin. A survivor that heard the leader's verdict on one crashed
        // member 2 s late did so in the placement benchmark, and all ten nodes went down. Off, an unsettled view waits
        // (the price, a flapping partitioned minority that never downs itself, is in docs/ARCHITECTURE.md).
        Assert.Equal(TimeSpan.Zero, settings.DownAllWhenUnstable);
    }

    [Theory]
    [InlineData(3, 1000)]
    [InlineData(1, 333)]
    [InlineData(1.5, 500)]
    public async Task Heartbeats_go_three_times_within_the_unreachable_after_time_at_most_once_a_second(double unreachableAfter, int intervalMs)
    {
        await using var network = await InProcessNetwork.StartAsync(1, _ => new NodeCustomization(
            Options: o => o.UnreachableAfterSeconds = unreachableAfter));
        var config = network[0].System.Settings.Config;

        Assert.Equal(intervalMs, (int)config.GetTimeSpan("akka.cluster.failure-detector.heartbeat-interval").TotalMilliseconds);
    }

    [Theory]
    [InlineData(3, 5, 1000)]
    [InlineData(1, 1.5, 333)]
    [InlineData(1.5, 2, 500)]
    [InlineData(4, 1, 333)]
    public async Task Membership_ticks_go_three_times_within_the_shorter_of_the_two_settings_at_most_once_a_second(double unreachableAfter, double downAfter, int intervalMs)
    {
        await using var network = await InProcessNetwork.StartAsync(1, _ => new NodeCustomization(
            Options: o => (o.UnreachableAfterSeconds, o.DownAfterSeconds) = (unreachableAfter, downAfter)));
        var config = network[0].System.Settings.Config;

        // Gossip spreads a down decision, the leader acts on it, the reaper turns a silent member unreachable: each on its own
        // tick (Akka's default 1 s), which would otherwise add seconds to a short setting's failover.
        Assert.Equal([intervalMs, intervalMs, intervalMs], new[] { "gossip-interval", "leader-actions-interval", "unreachable-nodes-reaper-interval" }
            .Select(key => (int)config.GetTimeSpan($"akka.cluster.{key}").TotalMilliseconds));
    }
}
