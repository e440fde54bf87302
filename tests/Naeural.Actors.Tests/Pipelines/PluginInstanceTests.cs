using Akka.Actor;
using Naeural.Actors.Client;
using Naeural.Actors.Commands;
using Naeural.Actors.Pipelines;
using Naeural.Actors.Placement;
using Naeural.Actors.Plugins;
using Naeural.Testing;
using Xunit;

namespace Naeural.Actors.Tests.Pipelines;

public sealed class PluginInstanceFixture : IAsyncLifetime
{
    public InProcessNetwork Network { get; private set; } = null!;

    public async Task InitializeAsync() => Network = await InProcessNetwork.StartAsync(1, _ => new NodeCustomization(
        Plugins: PluginCatalogue.BuiltIn.With<DoublerPlugin>().With<FlakyPlugin>().With<BrokenInitPlugin>().With<SlowPlugin>().With<NanPlugin>()));

    public async Task DisposeAsync() => await Network.DisposeAsync();
}

public sealed class PluginInstanceTests(PluginInstanceFixture fixture) : Akka.TestKit.Xunit2.TestKit, IClassFixture<PluginInstanceFixture>
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(100);
    private readonly Developer _developer = new();

    private NaeuralClient Client => _developer.ClientFor(fixture.Network[0]);

    [Fact]
    public async Task A_developers_own_plugin_is_found_by_its_signature_and_runs()
    {
        var collector = new PayloadCollector();
        await Client.DeployAsync(Specs.Sensor("custom", "DOUBLER", "\"FACTOR\": 3", source: "\"STD\": 0, \"ANOMALY_PROBABILITY\": 0, \"MEAN\": 10"));
        await using var subscription = await collector.SubscribeAsync(Client, "custom");

        await AwaitAssertAsync(() => Assert.NotEmpty(collector.Payloads), Bound, Poll);
        Assert.Equal(30, collector.Payloads[0].Data!["DOUBLED"]!.GetValue<double>(), precision: 9); // MEAN 10, STD 0, FACTOR 3
        Assert.Equal([fixture.Network[0].NodeId, "custom", "DOUBLER", "main"], collector.Payloads[0].Path);
    }

    [Fact]
    public async Task A_plugin_that_throws_is_backed_off_reported_and_recovers_without_stopping_the_pipeline()
    {
        var collector = new PayloadCollector();
        await using var subscription = await collector.SubscribeAsync(Client, "flaky"); // before the deploy: the two failures come first
        await Client.DeployAsync(Specs.Sensor("flaky", "FLAKY", "\"FAIL_FIRST\": 2"));

        await AwaitAssertAsync(() => Assert.Contains(collector.Notifications, n => n.Code == NotificationCodes.PluginError
            && n.Severity == NotificationSeverity.Error && n.Message.Contains("flaky failure")), Bound, Poll);
        await AwaitAssertAsync(() => Assert.NotEmpty(collector.Payloads), Bound, Poll);
        Assert.True(collector.Payloads[0].Data!["FRAMES"]!.GetValue<int>() > 1, "frames that arrived during the back-off wait in the queue and are processed after it");
    }

    [Fact]
    public async Task A_plugin_emitting_nan_keeps_running_and_its_payloads_carry_nan()
    {
        var collector = new PayloadCollector();
        await Client.DeployAsync(Specs.Sensor("nan", "NAN"));
        await using var subscription = await collector.SubscribeAsync(Client, "nan");

        await AwaitAssertAsync(() => Assert.True(collector.Payloads.Count >= 5), Bound, Poll);
        Assert.All(collector.Payloads, p => Assert.Equal("NaN", p.Data!["RATIO"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Commands_sent_straight_to_the_shard_region_for_an_owner_no_node_allows_are_refused_and_never_run()
    {
        await using var network = await InProcessNetwork.StartAsync(1, _ => new NodeCustomization(Options: o => o.AllowedOwners = new Developer().Address));
        var outsider = new Developer();
        var command = SignedCommand.Create(PipelineActions.Create, "sneaky",
            System.Text.Json.Nodes.JsonNode.Parse(Specs.Sensor("sneaky", "COUNTER")), outsider.Key, DateTimeOffset.UtcNow);
        var region = Akka.Cluster.Sharding.ClusterSharding.Get(network[0].System).ShardRegion(PipelineEntity.TypeName);
        var pipelineId = $"{outsider.Address.ToLowerInvariant()}/sneaky";

        // Past the front door and placement, sharding puts the shard where it was asked; the entity applies the node's rule.
        region.Tell(new PipelineCommandRequest(pipelineId, command), TestActor);

        var refused = await ExpectMsgAsync<CommandRejected>(Bound);
        Assert.Equal(RejectionCodes.NotAllowed, refused.Code);
        var status = await network[0].PipelineStatusAsync(pipelineId);
        Assert.Equal(PipelineStatus.None, status.Status);
        Assert.Empty(status.RunningInstances);
    }

    [Fact]
    public async Task A_create_whose_plugin_fails_to_initialise_is_rolled_back_with_the_reason()
    {
        var error = await Assert.ThrowsAsync<PipelineCommandException>(() => Client.DeployAsync(Specs.Sensor("broken", "BROKEN_INIT")));

        Assert.Equal(RejectionCodes.InitFailed, error.Code);
        Assert.Contains("model file missing", error.Reason);
        Assert.Empty(await Client.GetPipelinesAsync());
        Assert.Equal("PIPELINE_OK", (await Client.DeployAsync(Specs.Sensor("broken", "COUNTER"))).Code);
    }

    [Fact]
    public async Task An_unthrottled_source_is_paced_by_credit_and_a_slow_plugin_loses_no_frame()
    {
        var collector = new PayloadCollector();
        await using var subscription = await collector.SubscribeAsync(Client, "paced");
        await Client.DeployAsync(Specs.Sensor("paced", "SLOW", "\"MILLIS\": 5", rate: 0, source: "\"MAX_FRAMES\": 20000"));

        await AwaitAssertAsync(() => Assert.Equal(20_000, collector.Payloads.Sum(p => p.Data!["FRAMES"]!.GetValue<int>())),
            TimeSpan.FromSeconds(60), Poll);
        Assert.DoesNotContain(collector.Notifications, n => n.Code == NotificationCodes.InputsDropped);
        Assert.All(collector.Payloads, p => Assert.InRange(p.Data!["FRAMES"]!.GetValue<int>(), 1, 1000));
    }

    [Fact]
    public async Task A_full_queue_drops_the_oldest_frames_counts_them_and_reports_them()
    {
        var collector = new PayloadCollector();
        await Client.DeployAsync(Specs.Sensor("overflow", "SLOW", "\"MILLIS\": 200, \"MAX_INPUTS_QUEUE_SIZE\": 5", rate: 0,
            source: "\"MAX_FRAMES\": 5000"));
        await using var subscription = await collector.SubscribeAsync(Client, "overflow");

        await AwaitAssertAsync(() => Assert.Contains(collector.Notifications, n => n.Code == NotificationCodes.InputsDropped), TimeSpan.FromSeconds(30), Poll);
        var report = collector.Notifications.First(n => n.Code == NotificationCodes.InputsDropped);
        Assert.Matches(@"^\d+ frame\(s\) dropped", report.Message);
        Assert.All(collector.Payloads, p => Assert.InRange(p.Data!["FRAMES"]!.GetValue<int>(), 1, 5));
    }

    [Fact]
    public async Task Process_delay_batches_frames_and_allow_empty_inputs_runs_on_schedule_without_data()
    {
        var batched = new PayloadCollector();
        await Client.DeployAsync(Specs.Sensor("delayed", "SLOW", "\"MILLIS\": 0, \"PROCESS_DELAY\": 0.5", rate: 100));
        await using var first = await batched.SubscribeAsync(Client, "delayed");
        await AwaitAssertAsync(() => Assert.True(batched.Payloads.Count >= 3), Bound, Poll);
        Assert.All(batched.Payloads.Skip(1), p => Assert.True(p.Data!["FRAMES"]!.GetValue<int>() >= 20, "0.5 s at 100 frames/s is about 50 frames a call"));

        var idle = new PayloadCollector();
        await Client.DeployAsync("""
            { "NAME": "idle", "TYPE": "Void",
              "PLUGINS": [ { "SIGNATURE": "COUNTER", "INSTANCES": [ { "INSTANCE_ID": "tick", "ALLOW_EMPTY_INPUTS": true, "PROCESS_DELAY": 0.2 } ] } ] }
            """);
        await using var second = await idle.SubscribeAsync(Client, "idle");
        await AwaitAssertAsync(() => Assert.True(idle.Payloads.Count >= 2), Bound, Poll);
        Assert.All(idle.Payloads, p => Assert.True(p.Data!["IDLE"]!.GetValue<bool>()));
    }
}
