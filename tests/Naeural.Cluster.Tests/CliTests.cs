using System.Text.RegularExpressions;
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

        var deployed = await HostCli.RunAsync("pipeline", "deploy", good, "--node", node.EdgeAddress, "--key", key);
        var refused = await HostCli.RunAsync("pipeline", "deploy", bad, "--node", node.EdgeAddress, "--key", key);
        var listed = await HostCli.RunAsync("pipeline", "list", "--node", node.EdgeAddress, "--key", key);
        var payloads = await HostCli.RunAsync("payloads", "cli-demo", "--seconds", "3", "--node", node.EdgeAddress, "--key", key);

        Assert.True(deployed.ExitCode == 0, deployed.Output);
        Assert.Contains("PIPELINE_OK", deployed.Output);
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("INVALID_SPEC: TYPE: unknown data source type 'Camera'", refused.Output);
        Assert.Contains("cli-demo", listed.Output);
        Assert.Contains("Running", listed.Output);
        Assert.DoesNotContain("cli-bad", listed.Output);
        Assert.Matches($@"#1 signed by {node.NodeId} COUNTER/main: {{""COUNT"":10}}", payloads.Output);
    }

    [Fact]
    public async Task Bench_without_a_terminal_prints_its_table_and_no_stream_of_percentages()
    {
        var (exitCode, output) = await HostCli.RunAsync("bench", "--seconds", "0.3"); // output redirected, as in CI or a pipe

        Assert.True(exitCode == 0, output);
        Assert.Contains("TIME RATIO", output);
        Assert.DoesNotMatch(@"\d+%", output);
    }

    [Fact]
    public async Task A_channel_is_opened_paid_and_settled_and_an_epochs_reward_claimed_through_the_command_line()
    {
        using var data = new TempDirectory();
        var key = data.Sub("developer.key");
        var developer = (await HostCli.RunAsync("key", "--key", key)).Output.Trim();
        Assert.Matches("^0x[0-9a-fA-F]{40}$", developer);
        await using var node = await NodeProcess.StartAsync(["--port", FreePort.Next().ToString(), "--data", data.Sub("node"),
            "--mint-authority", developer, "--epoch-seconds", "6", "--heartbeat", "0.5", "--receipt-period", "1"]);
        string[] At(params string[] verb) => [.. verb, "--node", node.EdgeAddress, "--key", key];
        var spec = data.Sub("counter.json");
        await File.WriteAllTextAsync(spec, Specs.Sensor("cli-paid", "COUNTER", "\"EMIT_EVERY\": 50", rate: 100));

        var minted = await HostCli.RunAsync(At("ledger", "mint", developer, "10000"));
        var deployed = await HostCli.RunAsync(At("pipeline", "deploy", spec));
        var opened = await HostCli.RunAsync(At("channel", "open", node.NodeId, "--deposit", "5000"));

        Assert.True(minted.ExitCode == 0, minted.Output);
        Assert.Contains("balance 10000", minted.Output);
        Assert.True(deployed.ExitCode == 0, deployed.Output);
        Assert.True(opened.ExitCode == 0, opened.Output);
        var channel = Regex.Match(opened.Output, "channel (0x[0-9a-f]{64}) open: 5000 escrowed").Groups[1].Value;
        Assert.NotEmpty(channel);

        // Receipts come every second: pay until a voucher covered some of them.
        long paid = 0;
        await AwaitAssertAsync(async () =>
        {
            var pay = await HostCli.RunAsync(At("channel", "pay", channel[..12]));
            Assert.True(pay.ExitCode == 0, pay.Output);
            var row = Regex.Match(pay.Output, $@"{channel}\s*│[^│]+│\s*(\d+)\s*│\s*(\d+)\s*│\s*(\d+)\s*│");
            Assert.True(row.Success, pay.Output);
            paid = long.Parse(row.Groups[3].Value);
            Assert.True(paid > 0, pay.Output);
            Assert.Equal(row.Groups[2].Value, row.Groups[3].Value); // paid what the verified receipts billed
        }, TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(500));

        var settled = await HostCli.RunAsync(At("channel", "settle", channel));
        var nodeBalance = await HostCli.RunAsync(At("ledger", "balance", node.NodeId));
        var developerBalance = await HostCli.RunAsync(At("ledger", "balance"));

        Assert.True(settled.ExitCode == 0, settled.Output);
        Assert.True(settled.Output.Contains($"settled {channel}: {paid} paid to {node.NodeId}", StringComparison.Ordinal), settled.Output);
        Assert.Contains($"{node.NodeId}: {paid}", nodeBalance.Output);
        Assert.Contains($"{developer}: {10000 - paid}", developerBalance.Output);

        var observers = await HostCli.RunAsync(At("epoch", "observers", node.NodeId, "--threshold", "1"));
        var funded = await HostCli.RunAsync(At("epoch", "fund", "next", "600"));
        Assert.True(observers.ExitCode == 0, observers.Output);
        Assert.True(funded.ExitCode == 0, funded.Output);
        var epoch = Regex.Match(funded.Output, @"epoch (\d+)'s pool is 600").Groups[1].Value;
        Assert.NotEmpty(epoch);

        // The only node of the epoch: its claimer takes the whole pool once the epoch is agreed and signed.
        await AwaitAssertAsync(async () =>
        {
            var shown = await HostCli.RunAsync(At("epoch", "show", epoch));
            Assert.True(shown.ExitCode == 0, shown.Output);
            Assert.Matches($@"{node.NodeId.ToLowerInvariant()}\s*│\s*\d+\s*│\s*[1-9]\d*\s*│\s*600\s*│\s*600\s*│", shown.Output);
        }, TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(1));
        Assert.Contains($"{node.NodeId}: {paid + 600}", (await HostCli.RunAsync(At("ledger", "balance", node.NodeId))).Output);
    }
}
