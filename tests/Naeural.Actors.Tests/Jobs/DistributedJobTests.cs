using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Akka.Actor;
using Akka.Cluster.Sharding;
using Naeural.Actors.Client;
using Naeural.Actors.Commands;
using Naeural.Actors.Jobs;
using Naeural.Testing;
using Xunit;
using Xunit.Abstractions;

namespace Naeural.Actors.Tests.Jobs;

/// <summary>Distributed jobs on real in-process networks: same answer over one node or three, a lost worker's share re-run, refusals.</summary>
public sealed class DistributedJobTests(ITestOutputHelper output) : Akka.TestKit.Xunit2.TestKit
{
    private static readonly TimeSpan Done = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task A_job_over_three_nodes_gives_the_single_worker_answer_with_one_share_per_node()
    {
        await using var network = await InProcessNetwork.StartAsync(3);
        var client = new Developer().ClientFor(network[1]);
        var rows = Rows(seed: 11, count: 600);

        foreach (var (plugin, config) in new[] { ("STATS", """{ "FIELD": "t" }"""), ("TOP_K", """{ "FIELD": "t", "K": 5 }""") })
        {
            var one = await RunAsync(client, Job($"{plugin}-1", 1, plugin, config, rows));
            var three = await RunAsync(client, Job($"{plugin}-3", 3, plugin, config, rows));
            output.WriteLine($"{plugin}: {three.ResultJson}; shares on {string.Join(", ", three.Shares.Select(s => s.NodeId![..8]))}");

            Assert.Equal(one.ResultJson, three.ResultJson);
            Assert.Equal(3, three.Shares.Select(s => s.NodeId).Distinct().Count());
            Assert.All(three.Shares, s => Assert.Contains(s.NodeId, network.Nodes.Select(n => n.NodeId)));
            Assert.Equal([200, 200, 200], three.Shares.Select(s => s.Rows));
        }

        // And the answer is right, not only the same.
        var stats = JsonNode.Parse((await client.GetJobAsync("STATS-3")).ResultJson!)!;
        var values = rows.Select(r => r!["t"]!.GetValue<decimal>()).ToList();
        Assert.Equal((600L, values.Sum(), values.Min(), values.Max()),
            (stats["COUNT"]!.GetValue<long>(), stats["SUM"]!.GetValue<decimal>(), stats["MIN"]!.GetValue<decimal>(), stats["MAX"]!.GetValue<decimal>()));
        var top = JsonNode.Parse((await client.GetJobAsync("TOP_K-3")).ResultJson!)!["TOP"]!.AsArray();
        Assert.Equal(values.Order().Reverse().Take(5), top.Select(e => e!["VALUE"]!.GetValue<decimal>()));
    }

    [Fact]
    public async Task A_job_completes_with_the_same_answer_when_a_worker_node_is_killed_mid_job()
    {
        var gated = new GatedJobPlugin("GATED_STATS", new Naeural.Actors.Jobs.BuiltIn.StatsJobPlugin());
        await using var network = await InProcessNetwork.StartAsync(3, _ => new NodeCustomization(
            Options: o => (o.UnreachableAfterSeconds, o.DownAfterSeconds, o.Pipelines) = (2, 2, o.Pipelines with { JobShareTimeout = TimeSpan.FromSeconds(3) }),
            Jobs: JobCatalogue.BuiltIn.With(gated)));
        var client = new Developer().ClientFor(network[0]); // the job runs on node 0, beside the shard coordinators
        var rows = Rows(seed: 5, count: 301);
        var expected = await RunAsync(client, Job("reference", 1, "STATS", """{ "FIELD": "t" }""", rows));

        await client.StartJobAsync(Job("survivor", 3, gated.Name, """{ "FIELD": "t" }""", rows));
        var jobId = CommandEnvelope.PipelineIdOf(client.Owner!, "survivor");
        var running = await AwaitShareNodesAsync(network[0], jobId, 3);
        var victim = network[2];
        var lost = running.Shares.Single(s => s.NodeId == victim.NodeId).Index;
        Assert.False(running.Shares.Any(s => s.Done), "every share waits at the gate");

        await victim.KillAsync();
        var killedAt = DateTimeOffset.UtcNow;
        gated.Open();
        var finished = await client.WaitForJobAsync("survivor", Done);
        output.WriteLine($"completed {(DateTimeOffset.UtcNow - killedAt).TotalSeconds:0.0} s after the kill; share {lost} ran on {string.Join(", ", finished.Shares[lost].RanOn)} (killed: {victim.NodeId}, done on {finished.Shares[lost].NodeId})");

        Assert.Equal(JobState.Completed, finished.State);
        Assert.Equal(expected.ResultJson, finished.ResultJson);
        var rerun = finished.Shares[lost];
        Assert.NotEqual(victim.NodeId, rerun.NodeId);
        Assert.Contains(rerun.NodeId, new[] { network[0].NodeId, network[1].NodeId });
        Assert.Equal(new[] { victim.NodeId, rerun.NodeId! }, rerun.RanOn.ToArray());
        Assert.Equal(4, gated.Started.Count); // three shares, and the lost one once more
    }

    [Fact]
    public async Task Bad_specs_unknown_plugins_and_other_developers_are_refused()
    {
        await using var network = await InProcessNetwork.StartAsync(1);
        var developer = new Developer();
        var stranger = new Developer();
        var client = developer.ClientFor(network[0]);
        var strangerClient = stranger.ClientFor(network[0]);

        var invalid = await Assert.ThrowsAsync<PipelineCommandException>(() =>
            client.StartJobAsync("""{ "NAME": "j", "WORKERS": 2, "PLUGIN": "STATS", "CONFIG": { "FIELD": "t" }, "INPUT": [{ "t": 1 }, { "t": "hot" }] }"""));
        Assert.Equal((RejectionCodes.InvalidSpec, "INPUT[1].t: must be a number within ±7.9e28"), (invalid.Code, invalid.Reason));
        var workers = await Assert.ThrowsAsync<PipelineCommandException>(() =>
            client.StartJobAsync("""{ "NAME": "j", "WORKERS": 100, "PLUGIN": "STATS", "INPUT": [1, 2] }"""));
        Assert.StartsWith("WORKERS: ", workers.Reason);
        var unknown = await Assert.ThrowsAsync<PipelineCommandException>(() =>
            client.StartJobAsync("""{ "NAME": "j", "PLUGIN": "MEDIAN", "INPUT": [1, 2] }"""));
        Assert.Equal((RejectionCodes.UnknownJobPlugin, "PLUGIN: unknown job plugin 'MEDIAN'; known: STATS, TOP_K"), (unknown.Code, unknown.Reason));
        var missing = await Assert.ThrowsAsync<PipelineCommandException>(() => client.GetJobAsync("j"));
        Assert.Equal(RejectionCodes.UnknownJob, missing.Code);

        await RunAsync(client, Job("mine", 1, "STATS", "{}", [1, 2, 3]));
        var again = await Assert.ThrowsAsync<PipelineCommandException>(() => client.StartJobAsync(Job("mine", 1, "STATS", "{}", [4])));
        Assert.Equal(RejectionCodes.AlreadyExists, again.Code);

        // Someone else can neither read the job nor start one in the developer's name: at the front door, nor at the job itself.
        var read = await Assert.ThrowsAsync<PipelineCommandException>(() => strangerClient.GetJobAsync("mine", owner: developer.Address));
        Assert.Equal(RejectionCodes.NotOwner, read.Code);
        var forged = SignedCommand.Create(JobActions.Start, "theirs", JsonNode.Parse(Job("theirs", 1, "STATS", "{}", [1])), stranger.Key,
            DateTimeOffset.UtcNow, owner: developer.Address);
        var start = await Assert.ThrowsAsync<PipelineCommandException>(() => strangerClient.SendAsync(forged));
        Assert.Equal(RejectionCodes.NotOwner, start.Code);
        var jobs = ClusterSharding.Get(network[0].System).ShardRegion(DistributedJobEntity.TypeName);
        var direct = await jobs.Ask<CommandRejected>(new JobCommandRequest(CommandEnvelope.PipelineIdOf(developer.Address, "theirs"), forged), TimeSpan.FromSeconds(10));
        Assert.Equal(RejectionCodes.NotOwner, direct.Code);
        Assert.Equal(JobState.None, (await network[0].JobStatusAsync(CommandEnvelope.PipelineIdOf(developer.Address, "theirs"))).State);
    }

    private static async Task<JobStatus> RunAsync(NaeuralClient client, string spec)
    {
        var accepted = await client.StartJobAsync(spec);
        Assert.Equal(JobCodes.Started, accepted.Code);
        var status = await client.WaitForJobAsync(JsonNode.Parse(spec)!["NAME"]!.GetValue<string>(), Done);
        Assert.True(status.State == JobState.Completed, status.Error);
        return status;
    }

    private async Task<JobStatus> AwaitShareNodesAsync(InProcessNode node, string jobId, int distinct)
    {
        JobStatus? status = null;
        await AwaitAssertAsync(async () =>
        {
            status = await node.JobStatusAsync(jobId);
            Assert.Equal(distinct, status.Shares.Select(s => s.NodeId).OfType<string>().Distinct().Count());
        }, TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(100));
        return status!;
    }

    private static string Job(string name, int workers, string plugin, string config, IEnumerable<JsonNode?> rows) => new JsonObject
    {
        ["NAME"] = name,
        ["WORKERS"] = workers,
        ["PLUGIN"] = plugin,
        ["CONFIG"] = JsonNode.Parse(config),
        ["INPUT"] = new JsonArray([.. rows.Select(r => r?.DeepClone())]),
    }.ToJsonString();

    private static List<JsonNode?> Rows(int seed, int count)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, count).Select(i => JsonNode.Parse(
            $$"""{ "id": {{i}}, "t": {{Math.Round((decimal)(random.NextDouble() * 100 - 20), random.Next(0, 3)).ToString(System.Globalization.CultureInfo.InvariantCulture)}} }"""))];
    }

    /// <summary>STATS whose map waits until the test opens the gate (one instance shared by every in-process node).</summary>
    private sealed class GatedJobPlugin(string name, IJobPlugin inner) : IJobPlugin
    {
        private readonly TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public ConcurrentQueue<int> Started { get; } = new();

        public string Name => name;

        public string Description => $"{inner.Name}, once the test opens the gate";

        public void Open() => _gate.TrySetResult();

        public IEnumerable<Naeural.Actors.Pipelines.SpecError> Validate(JsonObject config, IReadOnlyList<JsonNode?> input) => inner.Validate(config, input);

        public async ValueTask<JsonNode> MapAsync(JobShare share, JsonObject config, CancellationToken cancellationToken)
        {
            Started.Enqueue(share.Index);
            await _gate.Task.WaitAsync(cancellationToken);
            return await inner.MapAsync(share, config, cancellationToken);
        }

        public JsonNode Reduce(IReadOnlyList<JsonNode> partials, JsonObject config) => inner.Reduce(partials, config);
    }
}
