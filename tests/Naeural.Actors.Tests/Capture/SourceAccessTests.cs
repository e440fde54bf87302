using System.Net;
using System.Text.Json.Nodes;
using Akka.Actor;
using Naeural.Actors.Capture;
using Naeural.Actors.Pipelines;
using Naeural.Testing;
using Xunit;

namespace Naeural.Actors.Tests.Capture;

/// <summary>The checks behind the allow-lists and the files root, where they matter at open and connect time.</summary>
public sealed class SourceAccessTests : Akka.TestKit.Xunit2.TestKit
{
    private readonly TempDirectory _data = new();

    private string Root => _data.Sub("files");

    private SourceAccess Access(string mqtt = "", string http = "", string ingest = "") => new(
        new FilesRoot(Root),
        NetworkAllowList.Parse(mqtt, SourceAccess.MqttBrokersSetting),
        NetworkAllowList.Parse(http, SourceAccess.HttpTargetsSetting),
        IngestAllowList.Parse(ingest, SourceAccess.IngestPrefixesSetting));

    public SourceAccessTests() => Directory.CreateDirectory(Root);

    [Fact]
    public void A_file_swapped_for_a_link_to_the_node_key_after_validation_is_refused_when_opened()
    {
        File.WriteAllText(_data.Sub("node.key"), "secret");
        var file = Path.Combine(Root, "readings.csv");
        File.WriteAllLines(file, ["v", "1"]);
        var access = Access();
        var config = JsonConfig.From(JsonNode.Parse("""{ "URL": "readings.csv", "RECONNECTABLE": "YES" }""")!.AsObject());
        var errors = new List<SpecError>();
        FileReplayCapture.Validate(new ConfigReader(config.Reader().Raw, "", errors), access);
        Assert.Empty(errors);

        File.Delete(file);
        File.CreateSymbolicLink(file, _data.Sub("node.key"));
        var capture = Sys.ActorOf(FileReplayCapture.Props(config, TestActor, access));
        capture.Tell(new CaptureDemand(100));

        var closed = ExpectMsg<CaptureStateChanged>();
        Assert.Equal(CaptureState.Closed, closed.State);
        Assert.Contains("symbolic link", closed.Message);
        ExpectNoMsg(TimeSpan.FromMilliseconds(300));
    }

    [Fact]
    public void A_file_inside_the_root_is_read_by_a_relative_or_an_absolute_path()
    {
        File.WriteAllLines(Path.Combine(Root, "ok.csv"), ["v", "1"]);
        var access = Access();

        Assert.Equal((Path.Combine(Root, "ok.csv"), null), access.ResolveFile("ok.csv"));
        Assert.Equal((Path.Combine(Root, "ok.csv"), null), access.ResolveFile(Path.Combine(Root, "ok.csv")));
        Assert.Contains("outside the files root", access.ResolveFile("/etc/passwd").Refusal);
        Assert.Contains("this node reads no files", SourceAccess.None.ResolveFile("ok.csv").Refusal);
    }

    [Fact]
    public void An_mqtt_broker_named_by_a_name_that_resolves_to_loopback_is_refused_when_connecting()
    {
        var access = Access(mqtt: "localhost:1883");
        var config = JsonConfig.From(JsonNode.Parse("""{ "URL": "mqtt://localhost:1883", "TOPIC": "t" }""")!.AsObject());
        var errors = new List<SpecError>();
        MqttCapture.Validate(new ConfigReader(config.Reader().Raw, "", errors), access);
        Assert.Empty(errors); // the name is listed ...

        Sys.ActorOf(MqttCapture.Props(config, TestActor, access));

        var closed = ExpectMsg<CaptureStateChanged>(TimeSpan.FromSeconds(10)); // ... but it leads into the node's own network
        Assert.Equal(CaptureState.Closed, closed.State);
        Assert.Contains("not an allowed address", closed.Message);
        Assert.Contains("--mqtt-brokers", closed.Message);
    }

    [Theory]
    [InlineData("10.0.0.0/8:1883", "10.1.2.3", 1883, true)]
    [InlineData("10.0.0.0/8:1883", "10.1.2.3", 1884, false)]
    [InlineData("10.0.0.0/8:1883", "11.1.2.3", 1883, false)]
    [InlineData("broker.example.com:*", "BROKER.example.com", 8883, true)]
    [InlineData("broker.example.com:*", "evil.example.com", 8883, false)]
    [InlineData("[::1]:1883", "[::1]", 1883, true)]
    [InlineData("", "127.0.0.1", 1883, false)]
    public void A_spec_may_name_only_what_the_list_allows(string list, string host, int port, bool allowed) =>
        Assert.Equal(allowed, NetworkAllowList.Parse(list, "setting").Refusal("MQTT broker", host, port) is null);

    [Theory]
    [InlineData("127.0.0.1", false)]
    [InlineData("169.254.169.254", false)]
    [InlineData("10.1.1.1", false)]
    [InlineData("::ffff:127.0.0.1", false)]
    [InlineData("64:ff9b::a9fe:a9fe", false)]
    [InlineData("fd00::1", false)]
    [InlineData("8.8.8.8", true)]
    [InlineData("2606:4700::1111", true)]
    public void Only_globally_routable_addresses_are_public(string address, bool isPublic) =>
        Assert.Equal(isPublic, AddressScope.IsPublic(IPAddress.Parse(address)));

    [Fact]
    public async Task An_http_target_on_a_host_the_operator_did_not_allow_is_refused_and_an_allowed_one_is_fetched()
    {
        var port = FreePort.Next();
        using var listener = new HttpListener();
        listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        listener.Start();
        _ = Task.Run(async () =>
        {
            var context = await listener.GetContextAsync();
            context.Response.StatusCode = 204;
            context.Response.Close();
        });
        var allowed = NetworkAllowList.Parse($"127.0.0.1:{port}", SourceAccess.HttpTargetsSetting);
        using var client = TenantHttp.Client(allowed, TimeSpan.FromSeconds(10));

        Assert.Contains("--http-targets", TenantHttp.Refusal(allowed, "http://169.254.169.254/latest/meta-data/"));
        Assert.Contains("--http-targets", TenantHttp.Refusal(allowed, $"http://localhost:{port}/"));
        Assert.Null(TenantHttp.Refusal(allowed, $"http://127.0.0.1:{port}/"));
        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync($"http://localhost:{port}/"));
        Assert.IsType<SourceRefusedException>(refused.InnerException);
        Assert.Equal(HttpStatusCode.NoContent, (await client.GetAsync($"http://127.0.0.1:{port}/")).StatusCode);
    }

    [Theory]
    [InlineData("127.0.0.1:*/ingest/", "http://127.0.0.1:5080/ingest/a/", true)]
    [InlineData("127.0.0.1:*/ingest/", "http://127.0.0.1:5080/other/", false)]
    [InlineData("127.0.0.1:5080", "http://0.0.0.0:5080/x/", false)]
    [InlineData("127.0.0.1:5080", "http://127.0.0.1:8080/x/", false)]
    public void An_ingest_prefix_must_lie_under_an_allowed_one(string list, string prefix, bool allowed) =>
        Assert.Equal(allowed, IngestAllowList.Parse(list, "setting").Refusal(new Uri(prefix)) is null);

    [Theory]
    [InlineData("host")]
    [InlineData("host:0")]
    [InlineData("bad host:1883")]
    [InlineData("[::1:1883")]
    public void A_malformed_entry_is_refused_naming_the_setting(string entry) =>
        Assert.Contains(SourceAccess.MqttBrokersSetting, Assert.Throws<ArgumentException>(() => NetworkAllowList.Parse(entry, SourceAccess.MqttBrokersSetting)).Message);

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _data.Dispose();
        }

        base.Dispose(disposing);
    }
}
