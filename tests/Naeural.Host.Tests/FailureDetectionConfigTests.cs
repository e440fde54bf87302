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
}
