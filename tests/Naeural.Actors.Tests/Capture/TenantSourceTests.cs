using System.Text.Json.Nodes;
using Naeural.Actors.Client;
using Naeural.Actors.Commands;
using Naeural.Testing;
using Xunit;

namespace Naeural.Actors.Tests.Capture;

/// <summary>
/// A tenant (any key the node admits) chooses its pipeline's data source: a node with its default settings must not let
/// that choice read the node's own files or make the node connect to (or listen on) endpoints its operator did not allow.
/// </summary>
public sealed class TenantSourceTests(SingleNodeFixture fixture) : IClassFixture<SingleNodeFixture>
{
    private readonly Developer _tenant = new();

    private NaeuralClient Client => _tenant.ClientFor(fixture.Node);

    private string FilesRoot => Path.Combine(fixture.Node.DataDirectory, "files");

    [Fact]
    public async Task A_tenant_cannot_replay_the_node_key_through_file_replay()
    {
        var key = Path.Combine(fixture.Node.DataDirectory, "node.key");
        Assert.True(File.Exists(key));

        await AssertRefused("key", $$"""{ "TYPE": "FileReplay", "URL": {{JsonValue.Create(key).ToJsonString()}}, "FORMAT": "JSONL" }""", "URL", FilesRoot);
    }

    [Fact]
    public async Task A_dot_dot_path_cannot_escape_the_files_root()
    {
        Directory.CreateDirectory(FilesRoot);
        var escape = FilesRoot + "/../node.key";

        await AssertRefused("dotdot-abs", $$"""{ "TYPE": "FileReplay", "URL": {{JsonValue.Create(escape).ToJsonString()}}, "FORMAT": "CSV" }""", "URL", FilesRoot);
        await AssertRefused("dotdot-rel", """{ "TYPE": "FileReplay", "URL": "../node.key", "FORMAT": "CSV" }""", "URL", FilesRoot);
    }

    [Fact]
    public async Task A_symlink_inside_the_files_root_that_points_outside_is_refused()
    {
        Directory.CreateDirectory(FilesRoot);
        var link = Path.Combine(FilesRoot, $"innocent-{Guid.NewGuid():N}.csv");
        File.CreateSymbolicLink(link, Path.Combine(fixture.Node.DataDirectory, "node.key"));

        await AssertRefused("symlink", $$"""{ "TYPE": "FileReplay", "URL": {{JsonValue.Create(link).ToJsonString()}} }""", "URL", FilesRoot);
    }

    [Fact]
    public async Task A_tenant_cannot_point_an_mqtt_listener_at_a_broker_the_operator_did_not_allow()
    {
        await AssertRefused("mqtt", """{ "TYPE": "MqttListener", "URL": "mqtt://127.0.0.1:6379", "TOPIC": "t" }""", "URL", "--mqtt-brokers");
    }

    [Fact]
    public async Task A_tenant_cannot_open_an_ingest_prefix_the_operator_did_not_allow()
    {
        await AssertRefused("ingest", $$"""{ "TYPE": "HttpIngest", "URL": "http://127.0.0.1:{{FreePort.Next()}}/steal/" }""", "URL", "--ingest-prefixes");
    }

    private async Task AssertRefused(string name, string source, string field, string named)
    {
        var spec = JsonNode.Parse(source)!.AsObject();
        spec["NAME"] = name;
        spec["PLUGINS"] = JsonNode.Parse("""[ { "SIGNATURE": "PASS_THROUGH", "INSTANCES": [ { "INSTANCE_ID": "all" } ] } ]""");

        var error = await Assert.ThrowsAsync<PipelineCommandException>(() => Client.DeployAsync(spec));

        Assert.Equal(RejectionCodes.InvalidSpec, error.Code);
        Assert.Contains(field + ":", error.Reason);
        Assert.Contains(named, error.Reason);
    }
}
