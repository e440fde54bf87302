using Naeural.Actors.Client;
using Naeural.Actors.Commands;
using Naeural.Actors.Plugins;
using Naeural.Actors.Telemetry;
using Naeural.Actors.Tests.Pipelines;
using Naeural.Testing;
using Xunit;

namespace Naeural.Actors.Tests.Telemetry;

/// <summary>A node's metrics record what really happens on it: payloads, frames, serialized messages, drops.</summary>
public sealed class NodeMetricsTests : Akka.TestKit.Xunit2.TestKit, IAsyncLifetime
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(100);
    private readonly Developer _developer = new();
    private InProcessNetwork _network = null!;
    private MetricsRecorder _metrics = null!;

    public async Task InitializeAsync()
    {
        _network = await InProcessNetwork.StartAsync(1, _ => new NodeCustomization(Plugins: PluginCatalogue.BuiltIn.With<SlowPlugin>()));
        _metrics = new MetricsRecorder(NodeMetrics.For(_network[0].System).Meter);
    }

    public async Task DisposeAsync()
    {
        _metrics.Dispose();
        await _network.DisposeAsync();
    }

    private NaeuralClient Client => _developer.ClientFor(_network[0]);

    [Fact]
    public async Task Payloads_and_frames_are_counted_as_they_are_emitted_and_processed()
    {
        var collector = new PayloadCollector();
        await Client.DeployAsync(Specs.Sensor("metered", "PASS_THROUGH", rate: 100));
        await using var subscription = await collector.SubscribeAsync(Client, "metered");

        await AwaitAssertAsync(() =>
        {
            Assert.True(collector.Payloads.Count >= 50);
            Assert.True(_metrics.Sum("naeural.payloads") >= 50);
            Assert.True(_metrics.Sum("naeural.frames", "plugin", "PASS_THROUGH") >= 50);
            Assert.True(_metrics.Sum("naeural.messages", "direction", "out") > 0); // journal events go through the serializer
        }, Bound, Poll);
        Assert.Equal(NodeMetrics.For(_network[0].System).PayloadsTotal, _metrics.Sum("naeural.payloads"));
    }

    [Fact]
    public async Task Frames_dropped_from_a_full_plugin_queue_are_counted()
    {
        await Client.DeployAsync(Specs.Sensor("overflowing", "SLOW", "\"MILLIS\": 200, \"MAX_INPUTS_QUEUE_SIZE\": 5", rate: 0,
            source: "\"MAX_FRAMES\": 5000"));

        await AwaitAssertAsync(() => Assert.True(_metrics.Sum("naeural.queue.drops", "queue", DropQueues.PluginInputs) > 0), Bound, Poll);
    }

    [Fact]
    public async Task Commands_are_counted_by_action()
    {
        await Client.DeployAsync(Specs.Sensor("counted", "PASS_THROUGH", rate: 1));
        await Client.StopAsync("counted");
        await Assert.ThrowsAsync<PipelineCommandException>(() => Client.StopAsync("never-deployed"));
        await Assert.ThrowsAsync<PipelineCommandException>(() => Client.SendAsync("MADE_UP_ACTION_1", "counted", null));
        await Assert.ThrowsAsync<PipelineCommandException>(() => Client.SendAsync("MADE_UP_ACTION_2", "counted", null));

        await AwaitAssertAsync(() =>
        {
            Assert.Equal(1, _metrics.Sum("naeural.commands", "action", PipelineActions.Create));
            Assert.Equal(2, _metrics.Sum("naeural.commands", "action", PipelineActions.Stop));
            Assert.Equal(1, _metrics.Sum("naeural.commands.rejected", "code", RejectionCodes.UnknownPipeline));
            Assert.Equal(2, _metrics.Sum("naeural.commands", "action", "other")); // made-up actions share one series
            Assert.Equal(0, _metrics.Sum("naeural.commands", "action", "MADE_UP_ACTION_1"));
        }, Bound, Poll);
    }
}
