using System.Text.Json.Nodes;
using Naeural.Actors.Client;
using Naeural.Testing;
using Xunit;

namespace Naeural.Cluster.Tests;

/// <summary>Real <c>Naeural.Host</c> processes on loopback, driven the way an operator would.</summary>
public sealed class HostProcessTests : Akka.TestKit.Xunit2.TestKit
{
    [Fact]
    public async Task A_second_process_joins_the_first_through_its_seed_and_sees_both_nodes()
    {
        using var data = new TempDirectory();
        await using var first = await NodeProcess.StartAsync(["--port", FreePort.Next().ToString(), "--data", data.Sub("first")]);
        await using var second = await NodeProcess.StartAsync(
            ["--port", FreePort.Next().ToString(), "--data", data.Sub("second"), "--seed", first.Address]);
        await using var client = NaeuralClient.Connect(second.EdgeAddress);

        await AwaitAssertAsync(async () =>
        {
            var view = await client.GetNodesAsync();
            Assert.Equal(
                new[] { first.NodeId, second.NodeId }.Order(StringComparer.OrdinalIgnoreCase),
                view.Nodes.Select(n => n.Resources.NodeId));
            Assert.Equal(first.Address, view.Find(first.NodeId)!.Resources.AkkaAddress);
            Assert.All(view.Nodes, n => Assert.True(n.Reachable));
        }, TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(250));
    }

    [Fact]
    public async Task A_node_the_network_downed_exits_with_a_failure_code_so_that_its_service_manager_restarts_it()
    {
        using var data = new TempDirectory();
        string[] Node(string name, params string[] more) =>
            ["--port", FreePort.Next().ToString(), "--data", data.Sub(name), "--unreachable-after", "2", "--down-after", "2", "--http", "false", .. more];
        await using var seed = await NodeProcess.StartAsync(Node("seed"));
        await using var other = await NodeProcess.StartAsync(Node("other", "--seed", seed.Address));
        await using var frozen = await NodeProcess.StartAsync(Node("frozen", "--seed", seed.Address));
        await using var client = NaeuralClient.Connect(seed.EdgeAddress);
        await AwaitAssertAsync(async () => Assert.Equal(3, (await client.GetNodesAsync()).Nodes.Count(n => n.Reachable)),
            TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(250));

        // A machine frozen long enough is taken for dead: the majority downs it. When it runs again it learns so and ends.
        await frozen.SuspendAsync();
        await AwaitAssertAsync(() => Assert.Contains($"is downing [{frozen.Address}]", seed.Output + other.Output),
            TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(250));
        await frozen.ResumeAsync();
        var code = await frozen.WaitForExitAsync(TimeSpan.FromSeconds(90));

        // docker-compose restarts a node on failure: a node the network removed must not look like one its operator stopped.
        Assert.True(code != 0, $"exit code {code}:\n{frozen.Output}");
        Assert.Contains("removed this node", frozen.Output);
    }

    [Fact]
    public async Task A_node_keeps_its_identity_across_a_restart_from_the_same_data_folder()
    {
        using var data = new TempDirectory();
        var port = FreePort.Next().ToString();
        string firstId;
        await using (var node = await NodeProcess.StartAsync(["--port", port, "--data", data.Sub("node")]))
        {
            firstId = node.NodeId;
            await node.InterruptAsync(TimeSpan.FromSeconds(30));
            Assert.True(node.HasExited);
        }

        await using var restarted = await NodeProcess.StartAsync(["--port", FreePort.Next().ToString(), "--data", data.Sub("node")]);
        await using var other = await NodeProcess.StartAsync(["--port", FreePort.Next().ToString(), "--data", data.Sub("other")]);

        Assert.Equal(firstId, restarted.NodeId);
        Assert.NotEqual(firstId, other.NodeId);
    }

    [Fact]
    public async Task A_node_process_serves_its_dashboard_and_API_on_the_HTTP_port_its_flag_names_and_prints_it()
    {
        using var data = new TempDirectory();
        var httpPort = FreePort.Next();
        await using var node = await NodeProcess.StartAsync(
            ["--port", FreePort.Next().ToString(), "--data", data.Sub("node"), "--http-port", httpPort.ToString()]);
        using var http = new HttpClient { BaseAddress = node.HttpAddress, Timeout = TimeSpan.FromSeconds(30) };

        var page = await http.GetStringAsync("/");
        var self = JsonNode.Parse(await http.GetStringAsync("/api/node"))!;

        Assert.Equal(new Uri($"http://127.0.0.1:{httpPort}/"), node.HttpAddress);
        Assert.Contains("Dashboard: http://127.0.0.1:" + httpPort, node.Output);
        Assert.Contains("<script src=\"/dashboard.js\">", page);
        Assert.Equal(node.NodeId, (string?)self["nodeId"]);
    }

    [Fact]
    public async Task A_fresh_node_logs_no_warning_while_it_starts_and_its_ledger_answers()
    {
        using var data = new TempDirectory();
        await using var node = await NodeProcess.StartAsync(["--port", FreePort.Next().ToString(), "--data", data.Sub("node")]);
        using var http = new HttpClient { BaseAddress = node.HttpAddress, Timeout = TimeSpan.FromSeconds(30) };

        // The balance comes from the embedded ledger, a cluster singleton reached through its proxy: once it answers, the
        // proxy has found the singleton, so nothing it logged until then was a real failure.
        var balances = await http.GetAsync("/api/balances");

        Assert.True(balances.IsSuccessStatusCode, $"{balances.StatusCode}: {await balances.Content.ReadAsStringAsync()}");
        var alarming = node.Output.Split('\n').Where(l => l.StartsWith("warn:", StringComparison.Ordinal) || l.StartsWith("fail:", StringComparison.Ordinal)
                                                         || l.Contains("[WARNING]", StringComparison.Ordinal) || l.Contains("[ERROR]", StringComparison.Ordinal)).ToList();
        Assert.True(alarming.Count == 0, "a fresh node's start logged:\n" + string.Join("\n", alarming));
    }
}
