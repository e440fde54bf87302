using System.Collections.Concurrent;
using System.Diagnostics;
using Akka.Actor;
using Akka.Cluster;
using Akka.Cluster.Sharding;
using Naeural.Actors.Client;
using Naeural.Actors.Pipelines;
using Naeural.Testing;
using Xunit;
using Xunit.Abstractions;

namespace Naeural.Actors.Tests.Pipelines;

/// <summary>
/// "Shared nothing": five members, each with only its own embedded SQLite store in its own data folder (a node's default).
/// Whatever happens to a member (it leaves, it crashes) or to all of them (they restart), every pipeline runs again on a live
/// member and every subscriber goes on receiving each sequence number exactly once, in order, verified: so a pipeline's state
/// and its outbox must live on more than the one member that ran it.
/// </summary>
public sealed class SharedNothingFailoverTests(ITestOutputHelper output) : Akka.TestKit.Xunit2.TestKit
{
    private const int Members = 5;
    private const int Pipelines = 10;
    private const double Rate = 20;
    private static readonly TimeSpan Recovery = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(250);

    [Fact]
    public Task Pipelines_of_a_member_that_leaves_run_again_and_every_subscriber_sees_each_number_once_in_order() =>
        FailoverAsync("graceful leave", seedSurvives: true, async (network, victim) =>
        {
            await Cluster.Get(victim.System).LeaveAsync().WaitAsync(Recovery);
            await AwaitAssertAsync(() => Assert.DoesNotContain(Cluster.Get(network[0].System).State.Members, m => m.Address.Equals(victim.Address)),
                Recovery, Poll);
        });

    [Fact]
    public Task Pipelines_of_a_crashed_member_run_again_and_every_subscriber_sees_each_number_once_in_order() =>
        FailoverAsync("crash (actor system aborted)", seedSurvives: true, (_, victim) =>
        {
            ((ExtendedActorSystem)victim.System).Abort();
            return Task.CompletedTask;
        });

    [Fact]
    public Task Pipelines_run_again_after_every_member_restarts_on_its_data_folder_and_every_subscriber_resumes_without_gap() =>
        FailoverAsync("restart of all five", seedSurvives: false, (network, _) => network.RestartAllAsync());

    /// <summary>
    /// Deploys <see cref="Pipelines"/> sensors through the seed, subscribes to each, finds the busiest member other than the seed
    /// (the victim), runs <paramref name="disrupt"/> on it, then asserts every pipeline runs again on a live member, every
    /// subscriber receives again, and has seen every sequence number exactly once, in order, verified.
    /// </summary>
    /// <param name="seedSurvives">False when <paramref name="disrupt"/> restarts the seed: its client and subscriptions are gone,
    /// and each collector resubscribes through the new seed after the last number it had.</param>
    private async Task FailoverAsync(string disruption, bool seedSurvives, Func<InProcessNetwork, InProcessNode, Task> disrupt)
    {
        await using var network = await InProcessNetwork.StartAsync(Members, _ => new NodeCustomization(Options: o => o.UnreachableAfterSeconds = 5));
        var developer = new Developer();
        var client = developer.ClientFor(network[0]);
        var names = Enumerable.Range(0, Pipelines).Select(i => $"sn-{i:00}").ToArray();
        var ids = (await Task.WhenAll(names.Select(n => client.DeployAsync(Specs.Sensor(n, "PASS_THROUGH", rate: Rate)))))
            .Select((accepted, i) => (names[i], accepted.PipelineId)).ToDictionary(p => p.Item1, p => p.PipelineId);
        var collectors = names.ToDictionary(n => n, _ => new PayloadCollector());
        var subscriptions = await Task.WhenAll(names.Select(n => collectors[n].SubscribeAsync(client, n)));
        await AwaitAssertAsync(() => Assert.All(collectors.Values, c => Assert.True(c.Payloads.Count >= 5)), Recovery, Poll);

        var homes = await HomesAsync(network[0], ids);
        var victim = network.Nodes.Skip(1).MaxBy(n => homes.Values.Count(h => h.NodeId == n.NodeId))!;
        var orphans = names.Where(n => homes[n].NodeId == victim.NodeId).ToArray();
        Assert.NotEmpty(orphans);
        output.WriteLine($"{disruption}: victim {victim.NodeId} runs {string.Join(", ", orphans)} ({orphans.Length} of {Pipelines})");

        var clock = Stopwatch.StartNew();
        await disrupt(network, victim);
        var disrupted = clock.Elapsed;
        var lastAfter = collectors.ToDictionary(c => c.Key, c => c.Value.LastSequence); // the victim may deliver while it leaves
        if (!seedSurvives)
        {
            client = developer.ClientFor(network[0]);
            subscriptions = await Task.WhenAll(names.Select(n => collectors[n].SubscribeAsync(client, n, after: collectors[n].LastSequence)));
        }

        // Running again: its entity says Running on a live member, and its subscriber has received, signed by a live member, past
        // what it had when the disruption was over.
        var live = network.Nodes.Where(n => !seedSurvives || n != victim).Select(n => n.NodeId).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var runningAgain = new ConcurrentDictionary<string, TimeSpan>();
        var lastSeen = new ConcurrentDictionary<string, PipelineStatusReport?>();
        await Task.WhenAll(names.Select(async name =>
        {
            try
            {
                await AwaitAssertAsync(async () =>
                {
                    var report = lastSeen[name] = await StatusOrNullAsync(network[0], ids[name]);
                    Assert.True(report is { Status: PipelineStatus.Running } && live.Contains(report.NodeId)
                                && collectors[name].Payloads.Any(p => p.Sequence > lastAfter[name] && live.Contains(p.Signer ?? "")));
                }, Recovery, Poll);
                runningAgain[name] = clock.Elapsed;
            }
            catch (Exception)
            {
                // Named, with every other straggler, in the assertion below.
            }
        }));
        output.WriteLine($"{disruption} took {disrupted.TotalSeconds:F1} s; running again after (s, from the event): " +
                         string.Join(", ", runningAgain.OrderBy(r => r.Key).Select(r => $"{r.Key} {r.Value.TotalSeconds:F1}")) +
                         $"; {runningAgain.Count} of {Pipelines}" + (runningAgain.Count == Pipelines ? $", all after {runningAgain.Values.Max().TotalSeconds:F1} s" : ""));
        Assert.True(runningAgain.Count == Pipelines, $"not running again {Recovery.TotalSeconds:0} s after the {disruption}: " +
                                                     string.Join("; ", names.Except(runningAgain.Keys).Select(n => Describe(n, lastSeen, collectors[n], lastAfter[n]))));

        // Every subscriber keeps receiving, and has seen each number once, in order, verified, from 1.
        var target = collectors.ToDictionary(c => c.Key, c => c.Value.LastSequence + (long)Rate);
        await AwaitAssertAsync(() => Assert.All(collectors, c => Assert.True(c.Value.LastSequence >= target[c.Key], $"{c.Key} stalled at #{c.Value.LastSequence}")), Recovery, Poll);
        Assert.All(collectors, c => Assert.True(c.Value.DeliveryProblems().Count == 0, $"{c.Key}: {string.Join("; ", c.Value.DeliveryProblems())}"));

        foreach (var subscription in subscriptions)
        {
            await subscription.DisposeAsync();
        }
    }

    private static string Describe(string name, ConcurrentDictionary<string, PipelineStatusReport?> seen, PayloadCollector collector, long lastAfter) =>
        $"{name} ({(seen.GetValueOrDefault(name) is { } s ? $"{s.Status} on {s.NodeId}" : "no answer")}, last #{collector.LastSequence}, #{lastAfter} when the disruption was over)";

    /// <summary>A pipeline entity's status, or null when it does not answer within 5 s (its shard is moving).</summary>
    private static async Task<PipelineStatusReport?> StatusOrNullAsync(InProcessNode node, string pipelineId)
    {
        try
        {
            return await node.Registered<PipelineEntity>().Ask<PipelineStatusReport>(new GetPipelineStatus(pipelineId), TimeSpan.FromSeconds(5));
        }
        catch (AskTimeoutException)
        {
            return null;
        }
    }

    /// <summary>Where each pipeline runs, by its entity's own status.</summary>
    private static async Task<Dictionary<string, PipelineStatusReport>> HomesAsync(InProcessNode node, Dictionary<string, string> ids)
    {
        var reports = await Task.WhenAll(ids.Select(async p => (p.Key, Report: await node.PipelineStatusAsync(p.Value))));
        Assert.All(reports, r => Assert.Equal(PipelineStatus.Running, r.Report.Status));
        return reports.ToDictionary(r => r.Key, r => r.Report);
    }
}
