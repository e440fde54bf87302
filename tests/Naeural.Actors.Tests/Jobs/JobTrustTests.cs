using System.Text.Json.Nodes;
using Akka.Actor;
using Akka.Cluster.Sharding;
using Naeural.Actors.Client;
using Naeural.Actors.Commands;
using Naeural.Actors.Jobs;
using Naeural.Actors.Serialization;
using Naeural.Testing;
using Xunit;

namespace Naeural.Actors.Tests.Jobs;

/// <summary>
/// The job protocol against a hostile member: forged share answers change nothing, status is not read off the wire, and a
/// share runs only for a job its owner signed.
/// </summary>
public sealed class JobTrustTests : Akka.TestKit.Xunit2.TestKit
{
    private static readonly TimeSpan Done = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task A_forged_share_completed_changes_nothing_and_the_honest_result_still_arrives()
    {
        await using var gated = await GatedJobAsync();
        var (network, developer, running) = (gated.Network, gated.Developer, gated.Running);
        var jobId = running.JobId;
        var assigned = running.Shares[0].NodeId!;

        // From the hostile member (node 1): a node that was never sent share 0 says it runs it (signed with its own key, but
        // over a guessed challenge); then share 0's result, claimed for its assigned node: signed by another key, unsigned,
        // and signed by the assigned node's own key over a challenge that is not the share's (a replayed or guessed one).
        const string partial = """{ "COUNT": 1, "SUM": 1e6, "MIN": 1e6, "MAX": 1e6 }""";
        var outsider = new Developer().Key;
        var guessed = new RunShare(jobId, 0, JobShareSigning.NewChallenge(), null!);
        var hostile = ClusterSharding.Get(network[1].System).ShardRegion(DistributedJobEntity.TypeName);
        hostile.Tell(JobShareSigning.SignStarted(guessed, network[1].Address.ToString(), outsider, Network));
        hostile.Tell(JobShareSigning.SignCompleted(guessed, partial, outsider, Network) with { NodeId = assigned });
        hostile.Tell(new ShareCompleted(jobId, 0, partial, assigned, ""));
        hostile.Tell(JobShareSigning.SignCompleted(guessed, partial, KeyOf(network, assigned), Network));

        // Read after the forgeries, through the same node (so it is handled after them).
        var after = await developer.ClientFor(network[1]).GetJobAsync("gated");
        Assert.Equal(JobState.Running, after.State);
        Assert.All(after.Shares, s => Assert.False(s.Done));
        Assert.Equal(running.Shares.Select(s => s.RanOn.ToArray()), after.Shares.Select(s => s.RanOn.ToArray()));

        await gated.AssertHonestResultAsync();
    }

    [Fact]
    public async Task A_forged_share_failed_changes_nothing_and_the_honest_result_still_arrives()
    {
        await using var gated = await GatedJobAsync();
        var (network, developer, running) = (gated.Network, gated.Developer, gated.Running);
        var assigned = running.Shares[1].NodeId!;

        // From the hostile member: share 1's failure claimed for its assigned node, signed by another key, unsigned, and
        // signed by the assigned node's own key over a challenge that is not the share's.
        var guessed = new RunShare(running.JobId, 1, JobShareSigning.NewChallenge(), null!);
        var hostile = ClusterSharding.Get(network[1].System).ShardRegion(DistributedJobEntity.TypeName);
        hostile.Tell(JobShareSigning.SignFailed(guessed, "forged failure", new Developer().Key, Network) with { NodeId = assigned });
        hostile.Tell(new ShareFailed(running.JobId, 1, "forged failure", assigned, ""));
        hostile.Tell(JobShareSigning.SignFailed(guessed, "forged failure", KeyOf(network, assigned), Network));

        var after = await developer.ClientFor(network[1]).GetJobAsync("gated");
        Assert.Equal(JobState.Running, after.State);
        Assert.Null(after.Error);

        await gated.AssertHonestResultAsync();
    }

    [Fact]
    public async Task A_member_asking_a_job_status_over_the_wire_learns_nothing()
    {
        // Node 1 is hostile: its own serializer writes GetJobStatus; node 0 hosts the job.
        await using var network = await InProcessNetwork.StartAsync(2, i => new NodeCustomization(
            ExtraMessageTypes: i == 1 ? [typeof(GetJobStatus)] : []));
        var developer = new Developer();
        var client = developer.ClientFor(network[0]);
        await RunAsync(client, Job("secret", 1, "STATS", Rows));
        var jobId = CommandEnvelope.PipelineIdOf(developer.Address, "secret");
        var refusals = CreateTestProbe(network[0].System);
        network[0].System.EventStream.Subscribe(refusals.Ref, typeof(MessageRefused));
        var stranger = CreateTestProbe(network[1].System);

        ClusterSharding.Get(network[1].System).ShardRegion(DistributedJobEntity.TypeName).Tell(new GetJobStatus(jobId), stranger.Ref);

        var refused = refusals.FishForMessage<MessageRefused>(r => r.TypeName == MessageAllowList.ManifestFor(typeof(GetJobStatus)), TimeSpan.FromSeconds(20));
        Assert.Equal(RefusalSide.Inbound, refused.Side);
        stranger.ExpectNoMsg(TimeSpan.FromMilliseconds(500));
    }

    [Fact]
    public async Task A_stranger_cannot_make_a_worker_run_a_share_in_an_owners_name_nor_poison_its_answer()
    {
        await using var network = await InProcessNetwork.StartAsync(1);
        var developer = new Developer();
        var client = developer.ClientFor(network[0]);
        var expected = await RunAsync(client, Job("reference", 1, "STATS", Rows));
        var jobId = CommandEnvelope.PipelineIdOf(developer.Address, "victim");
        var stranger = CreateTestProbe(network[0].System);
        var strangerKey = new Developer().Key;

        // Before the owner starts "victim", a stranger asks for its only share, with rows of its own: in a START_JOB it
        // signed itself in the owner's name, and in one that is not signed at all.
        var bogus = JsonNode.Parse(Job("victim", 1, "STATS", [JsonNode.Parse("""{ "t": 1000000 }""")]));
        var forged = SignedCommand.Create(JobActions.Start, "victim", bogus, strangerKey, DateTimeOffset.UtcNow, owner: developer.Address);
        var unsigned = new SignedCommand(new JsonObject { ["ACTION"] = JobActions.Start, ["PIPELINE"] = "victim", ["OWNER"] = developer.Address, ["PAYLOAD"] = bogus!.DeepClone() }.ToJsonString());
        var shares = ClusterSharding.Get(network[0].System).ShardRegion(JobShareWorker.TypeName);
        shares.Tell(new RunShare(jobId, 0, JobShareSigning.NewChallenge(), forged), stranger.Ref);
        shares.Tell(new RunShare(jobId, 0, JobShareSigning.NewChallenge(), unsigned), stranger.Ref);

        // The owner's job gets the answer of its own rows, and the stranger got no answer at all (nor a partial of the owner's).
        var victim = await RunAsync(client, Job("victim", 1, "STATS", Rows));
        Assert.Equal(expected.ResultJson, victim.ResultJson);
        stranger.ExpectNoMsg(TimeSpan.FromMilliseconds(300));
    }

    private const string Network = Naeural.Actors.Security.NetworkIds.Default;

    private static Naeural.Ledger.Identity.NodeKey KeyOf(InProcessNetwork network, string nodeId) =>
        network.Nodes.Single(n => n.NodeId == nodeId).Service<Naeural.Ledger.Identity.NodeKey>();

    private static readonly List<JsonNode?> Rows =
        [.. Enumerable.Range(0, 40).Select(i => JsonNode.Parse($$"""{ "id": {{i}}, "t": {{i * 3 % 17}} }"""))];

    /// <summary>
    /// Two nodes (node 1 to be the hostile member), the result of a one-worker reference run of STATS over <see cref="Rows"/>,
    /// and the two-share job "gated" of the same rows running, held at its gate.
    /// </summary>
    private async Task<GatedJob> GatedJobAsync()
    {
        var gate = new GateJobPlugin();
        var network = await TwoNodesAsync(gate);
        var developer = new Developer();
        var client = developer.ClientFor(network[0]);
        var expected = await RunAsync(client, Job("reference", 1, "STATS", Rows));
        return new GatedJob(network, developer, client, gate, expected.ResultJson, await StartGatedAsync(network, client, gate));
    }

    private sealed record GatedJob(InProcessNetwork Network, Developer Developer, NaeuralClient Client, GateJobPlugin Gate,
        string? ExpectedResult, JobStatus Running) : IAsyncDisposable
    {
        /// <summary>Opens the gate: the job completes with the reference run's result, whatever was forged meanwhile.</summary>
        public async Task AssertHonestResultAsync()
        {
            Gate.Open();
            var finished = await Client.WaitForJobAsync("gated", Done);
            Assert.Equal(JobState.Completed, finished.State);
            Assert.Equal(ExpectedResult, finished.ResultJson);
        }

        public ValueTask DisposeAsync() => Network.DisposeAsync();
    }

    private async Task<InProcessNetwork> TwoNodesAsync(GateJobPlugin gate)
    {
        var network = await InProcessNetwork.StartAsync(2, _ => new NodeCustomization(Jobs: JobCatalogue.BuiltIn.With(gate)));
        foreach (var node in network.Nodes)
        {
            await AwaitAssertAsync(async () =>
            {
                Assert.Equal(2, (await node.Client.GetNodesAsync()).Nodes.Length);
                var regions = await ClusterSharding.Get(node.System).ShardRegion(JobShareWorker.TypeName)
                    .Ask<CurrentRegions>(GetCurrentRegions.Instance, TimeSpan.FromSeconds(5));
                Assert.Equal(2, regions.Regions.Count);
            }, TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(200));
        }

        return network;
    }

    /// <summary>Starts the two-share job "gated" and waits until both shares are running (held at the gate).</summary>
    private async Task<JobStatus> StartGatedAsync(InProcessNetwork network, NaeuralClient client, GateJobPlugin gate)
    {
        await client.StartJobAsync(Job("gated", 2, gate.Name, Rows));
        var jobId = CommandEnvelope.PipelineIdOf(client.Owner!, "gated");
        JobStatus? status = null;
        await AwaitAssertAsync(async () =>
        {
            status = await network[0].JobStatusAsync(jobId);
            Assert.All(status.Shares, s => Assert.NotNull(s.NodeId));
        }, TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(100));
        return status!;
    }

    private static async Task<JobStatus> RunAsync(NaeuralClient client, string spec)
    {
        await client.StartJobAsync(spec);
        var status = await client.WaitForJobAsync(JsonNode.Parse(spec)!["NAME"]!.GetValue<string>(), Done);
        Assert.True(status.State == JobState.Completed, status.Error);
        return status;
    }

    private static string Job(string name, int workers, string plugin, IEnumerable<JsonNode?> rows) => new JsonObject
    {
        ["NAME"] = name,
        ["WORKERS"] = workers,
        ["PLUGIN"] = plugin,
        ["CONFIG"] = new JsonObject { ["FIELD"] = "t" },
        ["INPUT"] = new JsonArray([.. rows.Select(r => r?.DeepClone())]),
    }.ToJsonString();

    /// <summary>STATS whose map waits until the test opens the gate.</summary>
    private sealed class GateJobPlugin : IJobPlugin
    {
        private readonly IJobPlugin _inner = new Naeural.Actors.Jobs.BuiltIn.StatsJobPlugin();
        private readonly TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public string Name => "GATED";

        public string Description => "STATS, once the test opens the gate";

        public void Open() => _gate.TrySetResult();

        public IEnumerable<Naeural.Actors.Pipelines.SpecError> Validate(JsonObject config, IReadOnlyList<JsonNode?> input) => _inner.Validate(config, input);

        public async ValueTask<JsonNode> MapAsync(JobShare share, JsonObject config, CancellationToken cancellationToken)
        {
            await _gate.Task.WaitAsync(cancellationToken);
            return await _inner.MapAsync(share, config, cancellationToken);
        }

        public JsonNode Reduce(IReadOnlyList<JsonNode> partials, JsonObject config) => _inner.Reduce(partials, config);
    }
}
