using System.Text.Json.Nodes;
using Naeural.Actors.Client;
using Naeural.Actors.Commands;
using Naeural.Actors.Pipelines;
using Naeural.Actors.Plugins.BuiltIn;
using Naeural.Actors.Plugins.CustomCode;
using Naeural.Testing;
using Xunit;

namespace Naeural.Actors.Tests.Plugins.CustomCode;

/// <summary>CUSTOM_EXEC on an in-process node, deployed through the front door like any pipeline.</summary>
public sealed class CustomExecPipelineTests(SingleNodeFixture fixture) : Akka.TestKit.Xunit2.TestKit, IClassFixture<SingleNodeFixture>
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(100);
    private readonly Developer _developer = new();

    private NaeuralClient Client => _developer.ClientFor(fixture.Node);

    [Fact]
    public async Task A_hostile_instance_reports_its_violation_and_backs_off_while_another_pipeline_keeps_delivering()
    {
        var hostile = new PayloadCollector();
        var benign = new PayloadCollector();
        await using var hostileSubscription = await hostile.SubscribeAsync(Client, "spinner");
        await using var benignSubscription = await benign.SubscribeAsync(Client, "averager");
        await Client.DeployAsync(Sensor("averager", (CustomExecPlugin.Signature, Instance("""
            var sum = ((double?)state["sum"] ?? 0) + input.Value;
            state["sum"] = sum;
            return new JsonObject { ["MEAN"] = sum / (input.Index + 1) };
            """))));
        await Client.DeployAsync(Sensor("spinner", (CustomExecPlugin.Signature, Instance("while (true) { }", timeBound: null))));

        await AwaitAssertAsync(() => Assert.Contains(hostile.Notifications, n => n.Code == NotificationCodes.CustomCodeViolation
            && n.Severity == NotificationSeverity.Error && n.Message.Contains("CODE 1:1: exceeded MAX_EXEC_MS 50 ms")), Bound, Poll);
        var delivered = benign.Payloads.Count;

        await AwaitAssertAsync(() => Assert.True(benign.Payloads.Count >= delivered + 20, $"{benign.Payloads.Count} payloads, {delivered} at the violation"), Bound, Poll);
        await AwaitAssertAsync(() => Assert.Contains(hostile.Notifications, n => n.Code == NotificationCodes.CustomCodeViolation
            && n.Message.Contains("(2 in a row), backing off 2 s")), Bound, Poll);
        Assert.Empty(hostile.Payloads);
        Assert.All(await Client.GetPipelinesAsync(), p => Assert.Equal(PipelineStatus.Running, p.Status));
    }

    [Fact]
    public async Task A_deploy_with_refused_code_is_invalid_naming_the_violation_and_nothing_is_deployed()
    {
        var spec = Sensor("snooper", (CustomExecPlugin.Signature, Instance("""
            var ok = 1;
            var secret = System.IO.File.ReadAllText("/etc/passwd");
            """)));

        var error = await Assert.ThrowsAsync<PipelineCommandException>(() => Client.DeployAsync(spec));

        Assert.Equal(RejectionCodes.InvalidSpec, error.Code);
        Assert.Contains("PLUGINS[0].INSTANCES[0].CODE: 2:14: System.IO.File is not allowed in custom code (file system)", error.Reason);
        Assert.DoesNotContain(await Client.GetPipelinesAsync(), p => p.Name == "snooper");
    }

    [Fact]
    public async Task A_threshold_alert_written_as_custom_code_alerts_on_the_same_frames_as_the_built_in()
    {
        var collector = new PayloadCollector();
        await using var subscription = await collector.SubscribeAsync(Client, "twins");
        var thresholds = new JsonObject { ["RAISE_THRESHOLD"] = 20.5, ["LOWER_THRESHOLD"] = 19.5 };
        await Client.DeployAsync(Sensor("twins",
            (ThresholdAlertPlugin.Signature, With(new JsonObject { ["INSTANCE_ID"] = "main" }, thresholds)),
            (CustomExecPlugin.Signature, With(Instance(CustomCodeCompilerTests.ThresholdAlert), thresholds))));

        List<(string, long)> Alerts(string signature) => collector.Payloads.Where(p => p.Path[2] == signature)
            .Select(p => (p.Data!["ALERT_STATE"]!.GetValue<string>(), p.Data!["FRAME_INDEX"]!.GetValue<long>())).ToList();

        await AwaitAssertAsync(() =>
        {
            Assert.True(Alerts(ThresholdAlertPlugin.Signature).Count >= 6, "the built-in raised and lowered a few times");
            Assert.True(Alerts(CustomExecPlugin.Signature).Count >= 6, "so did the custom code");
        }, Bound, Poll);
        Assert.Equal(Alerts(ThresholdAlertPlugin.Signature).Take(6), Alerts(CustomExecPlugin.Signature).Take(6));
        Assert.DoesNotContain(collector.Notifications, n => n.Code is NotificationCodes.CustomCodeViolation or NotificationCodes.PluginError);
    }

    /// <summary>A CUSTOM_EXEC instance; benign code gets a generous time bound (the first step includes JIT compilation).</summary>
    private static JsonObject Instance(string code, int? timeBound = 2000)
    {
        var instance = new JsonObject { ["INSTANCE_ID"] = "main", ["CODE"] = code };
        if (timeBound is { } ms)
        {
            instance["MAX_EXEC_MS"] = ms;
        }

        return instance;
    }

    private static JsonObject With(JsonObject instance, JsonObject extra)
    {
        foreach (var (key, value) in extra)
        {
            instance[key] = value?.DeepClone();
        }

        return instance;
    }

    private static string Sensor(string name, params (string Signature, JsonObject Instance)[] plugins)
    {
        var array = new JsonArray();
        foreach (var (signature, instance) in plugins)
        {
            array.Add(new JsonObject { ["SIGNATURE"] = signature, ["INSTANCES"] = new JsonArray(instance) });
        }

        return new JsonObject
        {
            ["NAME"] = name, ["TYPE"] = "SyntheticSensor", ["CAP_RESOLUTION"] = 50, ["SEED"] = 7, ["MEAN"] = 20, ["STD"] = 1,
            ["PLUGINS"] = array,
        }.ToJsonString();
    }
}
