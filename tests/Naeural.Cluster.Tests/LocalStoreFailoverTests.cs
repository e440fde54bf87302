using System.Diagnostics;
using Naeural.Actors.Pipelines;
using Naeural.Testing;
using Xunit;
using Xunit.Abstractions;

namespace Naeural.Cluster.Tests;

/// <summary>
/// Real node processes, each with only its own embedded store in its own data folder (no shared database): a node killed with
/// SIGKILL under load, its pipelines back on the survivors, every subscriber missing no sequence number.
/// </summary>
public sealed class LocalStoreFailoverTests(ITestOutputHelper output) : Akka.TestKit.Xunit2.TestKit
{
    private const int Pipelines = 12;
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(100);

    [Fact]
    public async Task Pipelines_of_a_killed_node_run_again_on_the_survivors_from_their_local_stores_and_no_subscriber_misses_a_number()
    {
        using var data = new TempDirectory();
        var nodes = new List<NodeProcess>();
        try
        {
            nodes.Add(await StartAsync(data.Sub("n0"), seed: null));
            nodes.AddRange(await Task.WhenAll(StartAsync(data.Sub("n1"), nodes[0].Address), StartAsync(data.Sub("n2"), nodes[0].Address)));
            var developer = new Developer();
            await using var client = developer.Connect(nodes[0].EdgeAddress);
            await AwaitAssertAsync(async () => Assert.Equal(3, (await client.GetNodesAsync()).Nodes.Count(n => n.Reachable)), TimeSpan.FromSeconds(30), Poll);

            var names = Enumerable.Range(0, Pipelines).Select(i => $"local-{i:00}").ToArray();
            await Task.WhenAll(names.Select(name => client.DeployAsync(Specs.Sensor(name, "PASS_THROUGH", rate: 25))));
            var collectors = names.ToDictionary(n => n, _ => new PayloadCollector());
            var subscriptions = await Task.WhenAll(names.Select(n => collectors[n].SubscribeAsync(client, n)));
            await AwaitAssertAsync(() => Assert.All(collectors.Values, c => Assert.True(c.Payloads.Count >= 10)), TimeSpan.FromSeconds(30), Poll);

            // Kill the node that runs the most pipelines, other than the seed the client talks to.
            var homes = new Dictionary<string, string>();
            await AwaitAssertAsync(async () =>
            {
                homes = (await client.GetPipelinesAsync()).ToDictionary(p => p.Name, p => p.NodeId); // the directory, gossiped
                Assert.Equal(Pipelines, homes.Count);
            }, TimeSpan.FromSeconds(30), Poll);
            var victim = nodes.Skip(1).MaxBy(n => homes.Values.Count(h => Same(h, n.NodeId)))!;
            var orphans = names.Where(n => Same(homes[n], victim.NodeId)).ToArray();
            Assert.NotEmpty(orphans);
            var lastBeforeKill = collectors.ToDictionary(c => c.Key, c => c.Value.LastSequence);
            var clock = Stopwatch.StartNew();
            victim.Kill();

            // Running again: listed Running on a survivor, and delivering, signed by a survivor, past what it had at the kill.
            var recovered = new Dictionary<string, TimeSpan>();
            var listed = new Dictionary<string, PipelineSummary>();
            try
            {
                await AwaitAssertAsync(async () =>
                {
                    listed = (await client.GetPipelinesAsync()).ToDictionary(p => p.Name);
                    foreach (var name in names.Where(n => !recovered.ContainsKey(n)))
                    {
                        if (listed.TryGetValue(name, out var summary) && summary.Status == PipelineStatus.Running && !Same(summary.NodeId, victim.NodeId)
                            && collectors[name].Payloads.Any(p => p.Sequence > lastBeforeKill[name] && !Same(p.Signer, victim.NodeId)))
                        {
                            recovered[name] = clock.Elapsed;
                        }
                    }

                    Assert.True(recovered.Count == Pipelines, "not running again: " + string.Join("; ", names.Except(recovered.Keys).Select(n =>
                        $"{n} ({(listed.TryGetValue(n, out var s) ? $"{s.Status} on {s.NodeId}" : "not listed")}, last #{collectors[n].LastSequence}, #{lastBeforeKill[n]} at the kill)")));
                }, TimeSpan.FromSeconds(90), Poll);
            }
            finally
            {
                output.WriteLine($"killed {victim.NodeId} running {string.Join(", ", orphans)} ({orphans.Length} of {Pipelines}); " +
                                 $"{recovered.Count} of {Pipelines} running again after the kill");
            }

            output.WriteLine($"failover (kill -9 → all running again): {recovered.Values.Max().TotalSeconds:F1} s");

            // Every pipeline keeps going, and every subscriber saw each sequence number once, in order, from 1, verified.
            var target = collectors.ToDictionary(c => c.Key, c => c.Value.LastSequence + 25);
            await AwaitAssertAsync(() => Assert.All(collectors, c => Assert.True(c.Value.LastSequence >= target[c.Key], $"{c.Key} stalled at #{c.Value.LastSequence}")),
                TimeSpan.FromSeconds(60), Poll);
            Assert.All(collectors, c => Assert.True(c.Value.DeliveryProblems().Count == 0, $"{c.Key}: {string.Join("; ", c.Value.DeliveryProblems())}"));

            foreach (var subscription in subscriptions)
            {
                await subscription.DisposeAsync();
            }
        }
        catch
        {
            foreach (var node in nodes)
            {
                output.WriteLine($"--- {node.NodeId}\n{Tail(node.Output)}");
            }

            throw;
        }
        finally
        {
            foreach (var node in nodes)
            {
                await node.DisposeAsync();
            }
        }
    }

    private static bool Same(string? a, string? b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);

    private static string Tail(string text, int lines = 40) => string.Join('\n', text.Split('\n').TakeLast(lines));

    /// <summary>A node on loopback with its own data folder and the default persistence: SQLite there, nothing shared.</summary>
    private static Task<NodeProcess> StartAsync(string dataDirectory, string? seed) =>
        NodeProcess.StartAsync([
            "--port", "0", "--data", dataDirectory, "--heartbeat", "0.5",
            .. seed is null ? Array.Empty<string>() : ["--seed", seed],
        ]);
}
