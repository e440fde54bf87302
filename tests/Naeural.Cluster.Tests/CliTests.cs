using Naeural.Testing;
using Xunit;

namespace Naeural.Cluster.Tests;

/// <summary>The developer's command line against a real node process.</summary>
public sealed class CliTests : Akka.TestKit.Xunit2.TestKit
{
    [Fact]
    public async Task Pipeline_deploy_from_a_json_file_runs_it_and_bad_files_are_refused_naming_the_field()
    {
        using var data = new TempDirectory();
        await using var node = await NodeProcess.StartAsync(["--port", FreePort.Next().ToString(), "--data", data.Sub("node")]);
        var key = data.Sub("developer.key");
        var good = data.Sub("demo.json");
        var bad = data.Sub("bad.json");
        await File.WriteAllTextAsync(good, Specs.Sensor("cli-demo", "COUNTER", "\"EMIT_EVERY\": 10", rate: 100));
        await File.WriteAllTextAsync(bad, """{ "NAME": "cli-bad", "TYPE": "Camera" }""");

        var deployed = await HostCli.RunAsync("pipeline", "deploy", good, "--node", node.Address, "--key", key);
        var refused = await HostCli.RunAsync("pipeline", "deploy", bad, "--node", node.Address, "--key", key);
        var listed = await HostCli.RunAsync("pipeline", "list", "--node", node.Address, "--key", key);
        var payloads = await HostCli.RunAsync("payloads", "cli-demo", "--seconds", "3", "--node", node.Address, "--key", key);

        Assert.True(deployed.ExitCode == 0, deployed.Output);
        Assert.Contains("PIPELINE_OK", deployed.Output);
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("INVALID_SPEC: TYPE: unknown data source type 'Camera'", refused.Output);
        Assert.Contains("cli-demo", listed.Output);
        Assert.Contains("Running", listed.Output);
        Assert.DoesNotContain("cli-bad", listed.Output);
        Assert.Matches($@"#1 signed by {node.NodeId} COUNTER/main: {{""COUNT"":10}}", payloads.Output);
    }
}
