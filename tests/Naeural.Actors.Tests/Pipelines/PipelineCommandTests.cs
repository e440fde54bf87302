using System.Text.Json.Nodes;
using Naeural.Actors.Client;
using Naeural.Actors.Commands;
using Naeural.Actors.Pipelines;
using Naeural.Testing;
using Xunit;

namespace Naeural.Actors.Tests.Pipelines;

public sealed class PipelineCommandTests(SingleNodeFixture fixture) : Akka.TestKit.Xunit2.TestKit, IClassFixture<SingleNodeFixture>
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(100);
    private readonly Developer _developer = new();

    private NaeuralClient Client => _developer.ClientFor(fixture.Node);

    [Fact]
    public async Task Deploy_completes_once_the_pipeline_runs_and_the_network_lists_it()
    {
        var accepted = await Client.DeployAsync(Specs.Sensor("listed", "COUNTER"));

        Assert.Equal(NotificationCodes.PipelineOk, accepted.Code);
        Assert.Equal($"{_developer.Address.ToLowerInvariant()}/listed", accepted.PipelineId);
        await AwaitAssertAsync(async () =>
        {
            var mine = await Client.GetPipelinesAsync();
            var listed = Assert.Single(mine);
            Assert.Equal(("listed", PipelineStatus.Running, fixture.Node.NodeId, 1), (listed.Name, listed.Status, listed.NodeId, listed.Instances));
        }, Bound, Poll);
    }

    [Fact]
    public async Task Update_config_merges_partially_and_the_plugin_works_with_the_new_config()
    {
        var collector = new PayloadCollector();
        await Client.DeployAsync(Specs.Sensor("merge", "COUNTER", "\"EMIT_EVERY\": 1000000", rate: 200));
        await using var subscription = await collector.SubscribeAsync(Client, "merge");

        await Client.UpdateConfigAsync("merge", JsonNode.Parse("""
            { "PLUGINS": [ { "SIGNATURE": "COUNTER", "INSTANCES": [ { "INSTANCE_ID": "main", "EMIT_EVERY": 5 } ] } ] }
            """)!.AsObject());

        await AwaitAssertAsync(() => Assert.Contains(collector.Payloads, p => p.Data?["COUNT"] is not null), Bound, Poll);
        var status = await Status($"{_developer.Address.ToLowerInvariant()}/merge");
        var spec = JsonNode.Parse(status.SpecJson!)!;
        Assert.Equal(200, spec["CAP_RESOLUTION"]!.GetValue<double>());
        Assert.Equal(5, spec["PLUGINS"]![0]!["INSTANCES"]![0]!["EMIT_EVERY"]!.GetValue<int>());
    }

    [Fact]
    public async Task Instances_are_added_updated_and_removed()
    {
        await Client.DeployAsync(Specs.Sensor("instances", "COUNTER"));
        var id = $"{_developer.Address.ToLowerInvariant()}/instances";

        await Client.AddInstanceAsync("instances", "THRESHOLD_ALERT", JsonNode.Parse("""{ "INSTANCE_ID": "hot", "RAISE_THRESHOLD": 30 }""")!.AsObject());
        Assert.Equal<string>(["COUNTER/main", "THRESHOLD_ALERT/hot"], (await Status(id)).RunningInstances.Order());

        await Client.UpdateInstanceAsync("instances", "THRESHOLD_ALERT", "hot", JsonNode.Parse("""{ "LOWER_THRESHOLD": 25 }""")!.AsObject());
        var hot = JsonNode.Parse((await Status(id)).SpecJson!)!["PLUGINS"]!.AsArray().Single(p => p!["SIGNATURE"]!.GetValue<string>() == "THRESHOLD_ALERT");
        Assert.Equal((30.0, 25.0), (hot!["INSTANCES"]![0]!["RAISE_THRESHOLD"]!.GetValue<double>(), hot["INSTANCES"]![0]!["LOWER_THRESHOLD"]!.GetValue<double>()));

        await Client.RemoveInstanceAsync("instances", "COUNTER", "main");
        Assert.Equal<string>(["THRESHOLD_ALERT/hot"], (await Status(id)).RunningInstances);

        var error = await Assert.ThrowsAsync<PipelineCommandException>(() => Client.RemoveInstanceAsync("instances", "COUNTER", "main"));
        Assert.Equal(RejectionCodes.UnknownInstance, error.Code);
    }

    [Fact]
    public async Task A_pipeline_command_reaches_the_data_source_and_an_instance_command_reaches_the_plugin()
    {
        var collector = new PayloadCollector();
        await Client.DeployAsync(Specs.Sensor("commands", "THRESHOLD_ALERT", "\"RAISE_THRESHOLD\": 26, \"LOWER_THRESHOLD\": 22",
            source: "\"ANOMALY_PROBABILITY\": 0"));
        await Client.AddInstanceAsync("commands", "COUNTER", JsonNode.Parse("""{ "INSTANCE_ID": "count" }""")!.AsObject());
        await using var subscription = await collector.SubscribeAsync(Client, "commands");

        await Client.SendPipelineCommandAsync("commands", JsonNode.Parse("""{ "INJECT_ANOMALY": true }"""));
        await AwaitAssertAsync(() => Assert.Contains(collector.Payloads, p => p.Data?["ALERT_STATE"]?.GetValue<string>() == "RAISED"), Bound, Poll);

        await Client.SendInstanceCommandAsync("commands", "COUNTER", "count", JsonValue.Create("RESET"));
        await AwaitAssertAsync(() => Assert.Contains(collector.Notifications, n => n.Code == "COUNTER_RESET" && n.Source == "COUNTER/count"), Bound, Poll);
    }

    [Fact]
    public async Task Stop_start_and_archive_change_what_runs()
    {
        var collector = new PayloadCollector();
        await Client.DeployAsync(Specs.Sensor("lifecycle", "PASS_THROUGH"));
        await using var subscription = await collector.SubscribeAsync(Client, "lifecycle");
        await AwaitAssertAsync(() => Assert.NotEmpty(collector.Payloads), Bound, Poll);

        await Client.StopAsync("lifecycle");
        await AwaitAssertAsync(async () => Assert.Equal(PipelineStatus.Stopped, (await Client.GetPipelinesAsync()).Single().Status), Bound, Poll);
        var afterStop = collector.Payloads.Count;
        await AwaitAssertAsync(() => Assert.Contains(collector.Notifications, n => n.Code == NotificationCodes.PipelineStopped), Bound, Poll);

        await Client.StartAsync("lifecycle");
        await AwaitAssertAsync(() => Assert.True(collector.Payloads.Count > afterStop + 10), Bound, Poll);

        await Client.ArchiveAsync("lifecycle");
        await AwaitAssertAsync(async () => Assert.Empty(await Client.GetPipelinesAsync()), Bound, Poll);
        var archived = await Assert.ThrowsAsync<PipelineCommandException>(() => Client.StartAsync("lifecycle"));
        Assert.Equal(RejectionCodes.Archived, archived.Code);
    }

    [Fact]
    public async Task A_forged_signature_is_rejected()
    {
        var command = SignedCommand.Create(PipelineActions.Create, "forged", JsonNode.Parse(Specs.Sensor("forged", "COUNTER")), _developer.Key, DateTimeOffset.UtcNow);
        var tampered = new SignedCommand(command.Json.Replace("\"CAP_RESOLUTION\":50", "\"CAP_RESOLUTION\":51"));

        var error = await Assert.ThrowsAsync<PipelineCommandException>(() => Client.SendAsync(tampered));
        Assert.Equal(RejectionCodes.BadSignature, error.Code);
        await AssertNotDeployed("forged");
    }

    [Fact]
    public async Task A_replayed_command_is_rejected_and_obeyed_only_once()
    {
        var command = SignedCommand.Create(PipelineActions.Create, "replayed", JsonNode.Parse(Specs.Sensor("replayed", "COUNTER")), _developer.Key, DateTimeOffset.UtcNow);
        await Client.SendAsync(command);

        var error = await Assert.ThrowsAsync<PipelineCommandException>(() => Client.SendAsync(command));
        Assert.Equal(RejectionCodes.Replayed, error.Code);
        Assert.Equal(1, (await Client.GetPipelinesAsync()).Single(p => p.Name == "replayed").Version);
    }

    [Fact]
    public async Task A_stale_command_is_rejected()
    {
        var command = SignedCommand.Create(PipelineActions.Create, "stale", JsonNode.Parse(Specs.Sensor("stale", "COUNTER")), _developer.Key,
            DateTimeOffset.UtcNow - TimeSpan.FromMinutes(10));

        var error = await Assert.ThrowsAsync<PipelineCommandException>(() => Client.SendAsync(command));
        Assert.Equal(RejectionCodes.Stale, error.Code);
        await AssertNotDeployed("stale");
    }

    [Fact]
    public async Task A_time_outside_any_calendar_is_refused_and_the_node_keeps_serving()
    {
        var json = JsonNode.Parse(SignedCommand.Create(PipelineActions.Create, "far-future", JsonNode.Parse(Specs.Sensor("far-future", "COUNTER")),
            _developer.Key, DateTimeOffset.UtcNow).Json)!.AsObject();
        json["TIME"] = 10_000_000_000_000_000;
        json.Remove("EE_SIGN");
        json.Remove("EE_HASH");
        json.Remove("EE_SENDER");
        var signed = new SignedCommand(Naeural.Actors.Security.SignedJson.Sign(json, _developer.Key).ToJsonString());

        var error = await Assert.ThrowsAsync<PipelineCommandException>(() => Client.SendAsync(signed));
        Assert.Equal(RejectionCodes.Stale, error.Code);
        Assert.Equal(NotificationCodes.PipelineOk, (await Client.DeployAsync(Specs.Sensor("after-far-future", "COUNTER"))).Code);
    }

    [Fact]
    public async Task Commands_sent_while_a_deploy_is_still_starting_are_all_answered()
    {
        var deploy = Client.DeployAsync(Specs.Sensor("busy", "COUNTER"));
        var update = Client.UpdateConfigAsync("busy", JsonNode.Parse("""{ "CAP_RESOLUTION": 20 }""")!.AsObject());
        var stop = Client.StopAsync("busy");

        await Task.WhenAll(deploy, update, stop).WaitAsync(Bound);
        Assert.Equal(PipelineStatus.Stopped, (await Status($"{_developer.Address.ToLowerInvariant()}/busy")).Status);
    }

    [Fact]
    public async Task Only_the_owner_commands_a_pipeline()
    {
        await Client.DeployAsync(Specs.Sensor("owned", "COUNTER"));
        var intruder = new Developer();
        var command = SignedCommand.Create(PipelineActions.Stop, "owned", null, intruder.Key, DateTimeOffset.UtcNow, owner: _developer.Address);

        var error = await Assert.ThrowsAsync<PipelineCommandException>(() => intruder.ClientFor(fixture.Node).SendAsync(command));
        Assert.Equal(RejectionCodes.NotOwner, error.Code);
        Assert.Equal(PipelineStatus.Running, (await Client.GetPipelinesAsync()).Single(p => p.Name == "owned").Status);
    }

    [Theory]
    [InlineData("""{ "NAME": "bad-type", "TYPE": "Camera" }""", "TYPE")]
    [InlineData("""{ "NAME": "bad-sig", "TYPE": "SyntheticSensor", "PLUGINS": [ { "SIGNATURE": "NOPE", "INSTANCES": [ { "INSTANCE_ID": "a" } ] } ] }""", "PLUGINS[0].SIGNATURE")]
    [InlineData("""{ "NAME": "bad-delay", "TYPE": "SyntheticSensor", "PLUGINS": [ { "SIGNATURE": "COUNTER", "INSTANCES": [ { "INSTANCE_ID": "a", "PROCESS_DELAY": -1 } ] } ] }""", "PLUGINS[0].INSTANCES[0].PROCESS_DELAY")]
    [InlineData("""{ "NAME": "bad-rate", "TYPE": "SyntheticSensor", "CAP_RESOLUTION": "fast" }""", "CAP_RESOLUTION")]
    [InlineData("""{ "NAME": "bad-alert", "TYPE": "SyntheticSensor", "PLUGINS": [ { "SIGNATURE": "THRESHOLD_ALERT", "INSTANCES": [ { "INSTANCE_ID": "a" } ] } ] }""", "PLUGINS[0].INSTANCES[0].RAISE_THRESHOLD")]
    [InlineData("""{ "NAME": "bad-ids", "TYPE": "SyntheticSensor", "PLUGINS": [ { "SIGNATURE": "COUNTER", "INSTANCES": [ { "INSTANCE_ID": "a" }, { "INSTANCE_ID": "a" } ] } ] }""", "PLUGINS[0].INSTANCES[1].INSTANCE_ID")]
    [InlineData("""{ "NAME": "bad-reconnect", "TYPE": "SyntheticSensor", "RECONNECTABLE": "SOMETIMES" }""", "RECONNECTABLE")]
    public async Task An_invalid_spec_is_rejected_naming_the_field_and_nothing_is_deployed(string spec, string field)
    {
        var name = JsonNode.Parse(spec)!["NAME"]!.GetValue<string>();

        var error = await Assert.ThrowsAsync<PipelineCommandException>(() => Client.DeployAsync(spec));
        Assert.Equal(RejectionCodes.InvalidSpec, error.Code);
        Assert.Contains(field + ":", error.Reason);
        await AssertNotDeployed(name);
    }

    [Fact]
    public async Task Malformed_json_is_rejected_before_it_leaves_the_client_and_a_malformed_command_at_the_node()
    {
        var local = await Assert.ThrowsAsync<PipelineCommandException>(() => Client.DeployAsync("{ \"NAME\": "));
        Assert.Equal(RejectionCodes.InvalidSpec, local.Code);

        var remote = await Assert.ThrowsAsync<PipelineCommandException>(() => Client.SendAsync(new SignedCommand("[1, 2")));
        Assert.Equal(RejectionCodes.Malformed, remote.Code);
    }

    [Fact]
    public async Task Commands_for_a_missing_pipeline_and_a_second_create_are_refused()
    {
        Assert.Equal(RejectionCodes.UnknownPipeline, (await Assert.ThrowsAsync<PipelineCommandException>(() => Client.StopAsync("ghost"))).Code);

        await Client.DeployAsync(Specs.Sensor("twice", "COUNTER"));
        Assert.Equal(RejectionCodes.AlreadyExists,
            (await Assert.ThrowsAsync<PipelineCommandException>(() => Client.DeployAsync(Specs.Sensor("twice", "COUNTER")))).Code);
    }

    private async Task AssertNotDeployed(string name)
    {
        Assert.DoesNotContain(await Client.GetPipelinesAsync(), p => p.Name == name);
        Assert.Equal(PipelineStatus.None, (await Status($"{_developer.Address.ToLowerInvariant()}/{name}")).Status);
    }

    private Task<PipelineStatusReport> Status(string pipelineId) => fixture.Node.PipelineStatusAsync(pipelineId);
}
