using Naeural.Testing;
using Xunit;

namespace Naeural.Actors.Tests.Pipelines;

/// <summary>
/// A pipeline that wakes (a restart, a failover) starts running once its plugin instances are ready, even when they take
/// longer than the deploy timeout (their shard still moving off a lost member): nobody waits for that answer, so a late
/// instance must still start the capture.
/// </summary>
public sealed class LateInstanceTests : Akka.TestKit.Xunit2.TestKit
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_woken_pipeline_whose_instances_are_ready_after_the_deploy_timeout_still_delivers()
    {
        var deployTimeout = TimeSpan.FromSeconds(20);
        await using var network = await InProcessNetwork.StartAsync(1, _ => new NodeCustomization(Options: o =>
            o.Pipelines = o.Pipelines with { DeployTimeout = deployTimeout }));
        var developer = new Developer();
        await developer.ClientFor(network[0]).DeployAsync(Specs.Sensor("late", "PASS_THROUGH", rate: 20));
        var before = new PayloadCollector();
        await using (var subscription = await before.SubscribeAsync(developer.ClientFor(network[0]), "late"))
        {
            await AwaitAssertAsync(() => Assert.True(before.Payloads.Count >= 3), Bound, TimeSpan.FromMilliseconds(100));
        }

        // After the restart every instance answers later than the (now tiny) deploy timeout.
        deployTimeout = TimeSpan.FromMilliseconds(1);
        await network.RestartAllAsync();
        var after = new PayloadCollector();
        await using var resumed = await after.SubscribeAsync(developer.ClientFor(network[0]), "late", after: before.LastSequence);

        // Before: the recovered pipeline said Running and never captured a frame.
        await AwaitAssertAsync(() => Assert.True(after.Payloads.Count >= 5, $"{after.Payloads.Count} payloads after the restart"),
            Bound, TimeSpan.FromMilliseconds(200));
    }
}
