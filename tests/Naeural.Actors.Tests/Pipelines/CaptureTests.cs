using System.Net;
using System.Text;
using MQTTnet;
using Naeural.Actors.Capture;
using Naeural.Actors.Client;
using Naeural.Actors.Pipelines;
using Naeural.Testing;
using Xunit;

namespace Naeural.Actors.Tests.Pipelines;

/// <summary>
/// One node whose operator lets tenants use a local broker and ingest listeners on loopback (what these tests need); files
/// are replayed from its default files root, <c>&lt;data&gt;/files</c>.
/// </summary>
public sealed class LoopbackSourcesFixture : IAsyncLifetime
{
    public InProcessNetwork Network { get; private set; } = null!;

    public InProcessNode Node => Network[0];

    public string FilesRoot => Path.Combine(Node.DataDirectory, "files");

    public async Task InitializeAsync() => Network = await InProcessNetwork.StartAsync(1, _ => new NodeCustomization(Options: o =>
    {
        o.Sources.MqttBrokers = "127.0.0.1:*";
        o.Sources.IngestPrefixes = "127.0.0.1:*/ingest/";
    }));

    public async Task DisposeAsync() => await Network.DisposeAsync();
}

public sealed class CaptureTests(LoopbackSourcesFixture fixture) : Akka.TestKit.Xunit2.TestKit, IClassFixture<LoopbackSourcesFixture>
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(100);
    private readonly Developer _developer = new();

    private NaeuralClient Client => _developer.ClientFor(fixture.Node);

    [Fact]
    public async Task File_replay_reads_every_csv_row_and_with_reconnectable_no_closes_at_the_end()
    {
        var path = Path.Combine(fixture.FilesRoot, "readings.csv");
        await File.WriteAllLinesAsync(path, ["time,temperature,site", .. Enumerable.Range(0, 100).Select(i => $"{i},{20 + (i % 7)},north"), "100,NaN,south"]);
        var collector = new PayloadCollector();
        await using var subscription = await collector.SubscribeAsync(Client, "csv"); // before the deploy, to hear every notification

        await Client.DeployAsync($$"""
            { "NAME": "csv", "TYPE": "FileReplay", "URL": "{{path}}", "RECONNECTABLE": "NO",
              "PLUGINS": [ { "SIGNATURE": "PASS_THROUGH", "INSTANCES": [ { "INSTANCE_ID": "rows" } ] } ] }
            """);

        await AwaitAssertAsync(() => Assert.Equal(101, collector.Payloads.Count), Bound, Poll);
        Assert.Equal(Enumerable.Range(0, 100).Select(i => (double)(20 + (i % 7))),
            collector.Payloads.Take(100).Select(p => p.Data!["VALUES"]!["temperature"]!.GetValue<double>()));
        Assert.Equal("NaN", collector.Payloads[100].Data!["META"]!["temperature"]!.GetValue<string>()); // not a number: kept as text
        Assert.Equal("north", collector.Payloads[0].Data!["META"]!["site"]!.GetValue<string>());
        await AwaitAssertAsync(() => Assert.Contains(collector.Notifications, n => n.Code == NotificationCodes.CaptureState
            && n.Message.Contains("capture closed")), Bound, Poll);
    }

    [Fact]
    public async Task File_replay_with_keepalive_follows_lines_appended_to_a_json_lines_file()
    {
        var path = Path.Combine(fixture.FilesRoot, "events.jsonl");
        await File.WriteAllLinesAsync(path, ["""{"v": 1}""", """{"v": 2}"""]);
        var collector = new PayloadCollector();

        await Client.DeployAsync($$"""
            { "NAME": "jsonl", "TYPE": "FileReplay", "URL": "events.jsonl", "RECONNECTABLE": "KEEPALIVE",
              "PLUGINS": [ { "SIGNATURE": "PASS_THROUGH", "INSTANCES": [ { "INSTANCE_ID": "rows" } ] } ] }
            """);
        await using var subscription = await collector.SubscribeAsync(Client, "jsonl");
        await AwaitAssertAsync(() => Assert.Equal(2, collector.Payloads.Count), Bound, Poll);

        await File.AppendAllLinesAsync(path, ["""{"v": 3}""", "not json", """{"v": 4}"""]);

        await AwaitAssertAsync(() => Assert.Equal([1.0, 2, 3, 4], collector.Payloads.Select(p => p.Data!["VALUES"]!["v"]!.GetValue<double>())), Bound, Poll);
    }

    [Fact]
    public async Task Http_ingest_takes_posted_frames_and_answers_bad_bodies_with_the_reason()
    {
        var url = $"http://127.0.0.1:{FreePort.Next()}/ingest/";
        var collector = new PayloadCollector();
        await Client.DeployAsync($$"""
            { "NAME": "http", "TYPE": "HttpIngest", "URL": "{{url}}",
              "PLUGINS": [ { "SIGNATURE": "THRESHOLD_ALERT", "INSTANCES": [ { "INSTANCE_ID": "hot", "VALUE": "temp", "RAISE_THRESHOLD": 50 } ] } ] }
            """);
        await using var subscription = await collector.SubscribeAsync(Client, "http");
        using var http = new HttpClient();

        // The source starts listening as its capture actor starts, which can be just after the deploy is answered: the first
        // post is retried while the connection is refused (nothing was received, so nothing is posted twice).
        HttpResponseMessage accepted = null!;
        await AwaitAssertAsync(async () => accepted = await http.PostAsync(url, Json("""[{"temp": 20}, {"temp": 55, "room": "lab"}]""")), Bound, Poll);
        var rejected = await http.PostAsync(url, Json("""{"temp": """));
        var wrongMethod = await http.GetAsync(url);

        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        Assert.Contains("\"ACCEPTED\":2", await accepted.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.BadRequest, rejected.StatusCode);
        Assert.Contains("not valid JSON", await rejected.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.MethodNotAllowed, wrongMethod.StatusCode);
        await AwaitAssertAsync(() =>
        {
            var alert = Assert.Single(collector.Payloads);
            Assert.Equal(("RAISED", 55.0), (alert.Data!["ALERT_STATE"]!.GetValue<string>(), alert.Data["VALUE"]!.GetValue<double>()));
        }, Bound, Poll);
    }

    [Fact]
    public async Task Mqtt_listener_turns_messages_into_frames_and_reconnects_when_the_broker_comes_back()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        var collector = new PayloadCollector();
        await using var subscription = await collector.SubscribeAsync(Client, "mqtt"); // before the deploy: the first "connected" notice is sent once
        await Client.DeployAsync($$"""
            { "NAME": "mqtt", "TYPE": "MqttListener", "URL": "{{broker.Url}}", "TOPIC": "plant/line1", "RECONNECTABLE": "YES",
              "PLUGINS": [ { "SIGNATURE": "PASS_THROUGH", "INSTANCES": [ { "INSTANCE_ID": "all" } ] } ] }
            """);
        await AwaitAssertAsync(() => Assert.Contains(collector.Notifications, n => n.Code == NotificationCodes.CaptureState && n.Message.Contains("connected")), Bound, Poll);

        await PublishAsync(broker, """{"pressure": 1.5}""");
        await AwaitAssertAsync(() => Assert.Single(collector.Payloads), Bound, Poll);

        broker.Stop();
        await AwaitAssertAsync(() => Assert.Contains(collector.Notifications, n => n.Message.Contains("reconnecting")), Bound, Poll);
        await broker.RestartAsync();
        var connections = collector.Notifications.Count(n => n.Message.Contains(" connected"));
        await AwaitAssertAsync(() => Assert.True(collector.Notifications.Count(n => n.Message.Contains(" connected")) > connections), TimeSpan.FromSeconds(40), Poll);

        await PublishAsync(broker, """{"pressure": 2.5}""");
        await AwaitAssertAsync(() => Assert.Equal([1.5, 2.5], collector.Payloads.Select(p => p.Data!["VALUES"]!["pressure"]!.GetValue<double>())), Bound, Poll);
    }

    [Fact]
    public void The_synthetic_signal_is_reproducible_from_its_seed_and_labels_its_anomalies()
    {
        var a = new SyntheticSignal(seed: 5, anomalyProbability: 0.05);
        var b = new SyntheticSignal(seed: 5, anomalyProbability: 0.05);
        var framesA = Enumerable.Range(0, 2000).Select(_ => a.Next()).ToList();
        var framesB = Enumerable.Range(0, 2000).Select(_ => b.Next()).ToList();

        Assert.Equal(framesA.Select(f => f.Values["value"]), framesB.Select(f => f.Values["value"]));
        var anomalies = framesA.Where(f => f.Meta["anomaly"] == "1").ToList();
        var normal = framesA.Where(f => f.Meta["anomaly"] == "0").ToList();
        Assert.InRange(anomalies.Count, 100, 600);
        Assert.True(anomalies.Average(f => Math.Abs(f.Values["value"] - 20)) > 5 * normal.Average(f => Math.Abs(f.Values["value"] - 20)));
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    private static async Task PublishAsync(MosquittoBroker broker, string json)
    {
        using var client = new MqttClientFactory().CreateMqttClient();
        await client.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", broker.Port).Build());
        await client.PublishAsync(new MqttApplicationMessageBuilder().WithTopic("plant/line1").WithPayload(json)
            .WithQualityOfServiceLevel(MQTTnet.Protocol.MqttQualityOfServiceLevel.AtLeastOnce).Build());
        await client.DisconnectAsync();
    }
}
