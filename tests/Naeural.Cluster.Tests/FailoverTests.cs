using System.Diagnostics;
using Naeural.Actors.Client;
using Naeural.Testing;
using Xunit;
using Xunit.Abstractions;

namespace Naeural.Cluster.Tests;

/// <summary>Real node processes sharing PostgreSQL: a node killed with SIGKILL under load, its pipelines back on the survivors.</summary>
[Collection(PostgresCollection.Name)]
public sealed class FailoverTests(PostgresServer postgres, ITestOutputHelper output) : Akka.TestKit.Xunit2.TestKit
{
    private const int Pipelines = 20;
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(100);

    [Fact]
    public async Task Pipelines_of_a_killed_node_run_again_on_the_survivors_and_the_subscriber_misses_no_sequence_number()
    {
        var database = await postgres.CreateDatabaseAsync("failover");
        using var data = new TempDirectory();
        var nodes = new List<NodeProcess>();
        try
        {
            nodes.Add(await StartAsync(data.Sub("n0"), database, seed: null));
            nodes.AddRange(await Task.WhenAll(StartAsync(data.Sub("n1"), database, nodes[0].Address), StartAsync(data.Sub("n2"), database, nodes[0].Address)));
            var developer = new Developer();
            // Deploys answer once running: 20 at once on three fresh processes timed out at 30 s once in a full run (alone, it passed
            // six times); a slower deploy is not what this test is about, and one over 60 s still fails with every node's log.
            await using var client = NaeuralClient.Connect(nodes[0].EdgeAddress, developer.Key, Developer.Options with { RequestTimeout = TimeSpan.FromSeconds(60) });
            await AwaitAssertAsync(async () => Assert.Equal(3, (await client.GetNodesAsync()).Nodes.Count(n => n.Reachable)), TimeSpan.FromSeconds(30), Poll);

            var names = Enumerable.Range(0, Pipelines).Select(i => $"load-{i:00}").ToArray();
            try
            {
                await Task.WhenAll(names.Select(name => client.DeployAsync(Specs.Sensor(name, "PASS_THROUGH", rate: 25))));
            }
            catch
            {
                foreach (var node in nodes)
                {
                    output.WriteLine($"--- {node.NodeId}\n{node.Output}");
                }

                throw;
            }
            var collectors = names.ToDictionary(n => n, _ => new PayloadCollector());
            var subscriptions = await Task.WhenAll(names.Select(n => collectors[n].SubscribeAsync(client, n)));
            await AwaitAssertAsync(() => Assert.All(collectors.Values, c => Assert.True(c.Payloads.Count >= 10)), TimeSpan.FromSeconds(30), Poll);

            // Kill the node that runs the most pipelines, other than the one the client talks to.
            var homes = new Dictionary<string, string>();
            try
            {
                await AwaitAssertAsync(async () =>
                {
                    homes = (await client.GetPipelinesAsync()).ToDictionary(p => p.Name, p => p.NodeId); // the directory, gossiped: all of them in time
                    Assert.Equal(Pipelines, homes.Count);
                }, TimeSpan.FromSeconds(30), Poll);
            }
            catch
            {
                // Where the missing ones run, by the nodes' own heartbeats, and what each node logged.
                var view = await client.GetNodesAsync();
                output.WriteLine($"directory lacks {string.Join(", ", names.Except(homes.Keys))}; heartbeats: " +
                                 string.Join("; ", view.Nodes.Select(n => $"{n.Resources.NodeId}: {string.Join(",", n.Resources.Pipelines)}")));
                foreach (var node in nodes)
                {
                    output.WriteLine($"--- {node.NodeId}\n{node.Output}");
                }

                throw;
            }
            var victim = nodes.Skip(1).MaxBy(n => homes.Values.Count(h => string.Equals(h, n.NodeId, StringComparison.OrdinalIgnoreCase)))!;
            var orphans = names.Where(n => string.Equals(homes[n], victim.NodeId, StringComparison.OrdinalIgnoreCase)).ToArray();
            Assert.NotEmpty(orphans);
            var lastBeforeKill = orphans.ToDictionary(n => n, n => collectors[n].Payloads[^1].Sequence);
            var clock = Stopwatch.StartNew();
            victim.Kill();

            // Recovered: every orphan delivers a payload signed by a survivor, past what it had delivered before the kill.
            var recovered = new Dictionary<string, TimeSpan>();
            await AwaitAssertAsync(() =>
            {
                foreach (var name in orphans.Where(n => !recovered.ContainsKey(n)))
                {
                    if (collectors[name].Payloads.Any(p => p.Sequence > lastBeforeKill[name] && !string.Equals(p.Signer, victim.NodeId, StringComparison.OrdinalIgnoreCase)))
                    {
                        recovered[name] = clock.Elapsed;
                    }
                }

                Assert.Equal(orphans.Length, recovered.Count);
            }, TimeSpan.FromSeconds(90), Poll);
            output.WriteLine($"killed {victim.NodeId} running {orphans.Length} of {Pipelines} pipelines; all running again after " +
                             $"{recovered.Values.Max().TotalSeconds:F1} s (first after {recovered.Values.Min().TotalSeconds:F1} s)");

            await AwaitAssertAsync(async () =>
            {
                var pipelines = await client.GetPipelinesAsync(); // the directory, gossiped
                Assert.Equal(Pipelines, pipelines.Count);
                Assert.All(pipelines, p => Assert.NotEqual(victim.NodeId, p.NodeId, StringComparer.OrdinalIgnoreCase));
            }, TimeSpan.FromSeconds(10), Poll);

            // Every pipeline keeps going, and every subscriber saw each sequence number once, in order, from 1.
            var target = collectors.ToDictionary(c => c.Key, c => c.Value.Payloads[^1].Sequence + 25);
            try
            {
                await AwaitAssertAsync(() => Assert.All(collectors, c => Assert.True(c.Value.Payloads[^1].Sequence >= target[c.Key], c.Key)),
                    TimeSpan.FromSeconds(60), Poll);
            }
            catch
            {
                // Which pipelines stalled, where their last payload came from, and what the survivors logged.
                foreach (var (name, collector) in collectors.Where(c => c.Value.Payloads[^1].Sequence < target[c.Key]))
                {
                    var last = collector.Payloads[^1];
                    output.WriteLine($"{name}: last #{last.Sequence} signed by {last.Signer}, target #{target[name]}, orphan: {orphans.Contains(name)}");
                }

                foreach (var node in nodes.Where(n => n != victim))
                {
                    output.WriteLine($"--- {node.NodeId}\n{node.Output}");
                }

                throw;
            }
            foreach (var (name, collector) in collectors)
            {
                var sequences = collector.Payloads.Select(p => p.Sequence).ToArray();
                Assert.Equal(Enumerable.Range(1, sequences.Length).Select(i => (long)i), sequences);
                Assert.All(collector.Payloads, p => Assert.True(p.Verified, $"{name}#{p.Sequence} signature"));
            }

            foreach (var subscription in subscriptions)
            {
                await subscription.DisposeAsync();
            }
        }
        finally
        {
            foreach (var node in nodes)
            {
                await node.DisposeAsync();
            }
        }
    }

    private static Task<NodeProcess> StartAsync(string dataDirectory, string connectionString, string? seed) =>
        NodeProcess.StartAsync([
            "--port", "0", "--data", dataDirectory, "--heartbeat", "0.5",
            "--persistence", "postgresql", "--connection-string", connectionString,
            .. seed is null ? Array.Empty<string>() : ["--seed", seed],
        ]);
}
