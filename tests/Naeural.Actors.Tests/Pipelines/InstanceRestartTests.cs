using Akka.Actor;
using Naeural.Actors.Plugins;
using Naeural.Testing;
using Xunit;

namespace Naeural.Actors.Tests.Pipelines;

/// <summary>
/// A running pipeline's plugin instance that stops under it (its shard moved by a rebalance after a failover, or it was
/// restarted) is configured again and gets frames again: payloads keep coming, numbered on from where they were.
/// </summary>
public sealed class InstanceRestartTests : Akka.TestKit.Xunit2.TestKit
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Payloads_keep_coming_after_the_plugin_instance_stops_under_a_running_pipeline()
    {
        await using var network = await InProcessNetwork.StartAsync(1);
        var client = new Developer().ClientFor(network[0]);
        await client.DeployAsync(Specs.Sensor("steady", "PASS_THROUGH", rate: 20));
        var collector = new PayloadCollector();
        await using var subscription = await collector.SubscribeAsync(client, "steady");
        await AwaitAssertAsync(() => Assert.True(collector.Payloads.Count >= 5), Bound, TimeSpan.FromMilliseconds(100));

        // Every plugin instance entity on the node stops (as a shard hand-off stops it), not passivated.
        var instances = network[0].System.ActorSelection($"/system/sharding/{PluginInstanceEntity.TypeName}/*/*");
        var identities = await instances.Ask<ActorIdentity>(new Identify(null), TimeSpan.FromSeconds(5));
        Assert.NotNull(identities.Subject);
        Watch(identities.Subject);
        identities.Subject.Tell(PoisonPill.Instance);
        ExpectTerminated(identities.Subject, Bound);

        // Before: the runner configured it again at version 0 and ignored the answer (older than the version it had), so the
        // new instance never got a frame and the pipeline went silent for good.
        var before = collector.LastSequence;
        await AwaitAssertAsync(() => Assert.True(collector.LastSequence >= before + 20, $"stuck at #{collector.LastSequence}"),
            Bound, TimeSpan.FromMilliseconds(200));
        Assert.Empty(collector.DeliveryProblems());
    }
}
