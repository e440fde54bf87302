using System.Text.Json.Nodes;
using Naeural.Actors.Capture;
using Naeural.Actors.Commands;
using Naeural.Actors.Jobs;
using Naeural.Actors.Pipelines;
using Naeural.Actors.Plugins;
using Naeural.Actors.Security;
using Naeural.Ledger.Identity;
using Naeural.Ledger.Signing;
using Xunit;

namespace Naeural.Actors.Tests.Jobs;

/// <summary>The share reports' signing domain and the worker's order check, without a cluster.</summary>
public sealed class ShareSigningTests
{
    private const string Network = NetworkIds.Default;
    private static readonly Secp256k1Verifier Verifier = new();
    private readonly NodeKey _worker = NodeKey.Generate();
    private readonly NodeKey _owner = NodeKey.Generate();

    [Fact]
    public void A_report_verifies_only_for_its_node_its_share_challenge_its_network_and_its_content()
    {
        var run = new RunShare("0xowner/job", 1, JobShareSigning.NewChallenge(), null!);
        var completed = JobShareSigning.SignCompleted(run, """{"COUNT":3}""", _worker, Network);

        Assert.Null(JobShareSigning.Problem(completed, run.Challenge, Verifier, Network));
        Assert.NotNull(JobShareSigning.Problem(completed, JobShareSigning.NewChallenge(), Verifier, Network));
        Assert.NotNull(JobShareSigning.Problem(completed, run.Challenge, Verifier, "another-network"));
        Assert.NotNull(JobShareSigning.Problem(completed with { PartialJson = """{"COUNT":4}""" }, run.Challenge, Verifier, Network));
        Assert.NotNull(JobShareSigning.Problem(completed with { Index = 0 }, run.Challenge, Verifier, Network));
        Assert.NotNull(JobShareSigning.Problem(completed with { NodeId = _owner.Address }, run.Challenge, Verifier, Network));
        Assert.NotNull(JobShareSigning.Problem(completed with { Signature = "" }, run.Challenge, Verifier, Network));
        Assert.NotNull(JobShareSigning.Problem(completed with { Signature = "0x1234" }, run.Challenge, Verifier, Network));

        // One kind of report never passes for another with the same content.
        var failed = JobShareSigning.SignFailed(run, """{"COUNT":3}""", _worker, Network);
        Assert.NotNull(JobShareSigning.Problem(new ShareCompleted(run.JobId, run.Index, failed.Reason, failed.NodeId, failed.Signature),
            run.Challenge, Verifier, Network));
    }

    [Fact]
    public void A_worker_runs_only_the_share_its_owner_signed_and_takes_the_rows_from_the_owners_spec()
    {
        var services = new PipelineServices(_worker.Address, _worker, Verifier, SourceCatalogue.BuiltIn, PluginCatalogue.Empty,
            new PipelineSettings(), TimeProvider.System, new HashSet<string>());
        var jobId = CommandEnvelope.PipelineIdOf(_owner.Address, "j");
        var spec = JsonNode.Parse("""{ "NAME": "j", "WORKERS": 2, "PLUGIN": "STATS", "CONFIG": { "FIELD": "t" }, "INPUT": [{ "t": 1 }, { "t": 2 }, { "t": 3 }] }""");
        var start = SignedCommand.Create(JobActions.Start, "j", spec, _owner, DateTimeOffset.UtcNow);

        var work = ShareOrder.Open(new RunShare(jobId, 1, JobShareSigning.NewChallenge(), start), services).Work!;
        Assert.Equal((1, 1, "STATS"), (work.Share.Index, work.Share.Offset, work.Plugin.Name));
        Assert.Equal(["""{"t":2}""", """{"t":3}"""], work.Share.Rows.Select(r => r!.ToJsonString()));

        // An hour-old START_JOB still orders its shares (the job re-sends them while it runs).
        var old = SignedCommand.Create(JobActions.Start, "j", spec, _owner, DateTimeOffset.UtcNow.AddHours(-1));
        Assert.NotNull(ShareOrder.Open(new RunShare(jobId, 0, JobShareSigning.NewChallenge(), old), services).Work);

        var stranger = NodeKey.Generate();
        Assert.Contains("\"t\":1", start.Json); // what the tampered copy below changes
        var dropped = new (string Why, RunShare Run)[]
        {
            ("signed by another in the owner's name", new RunShare(jobId, 0, JobShareSigning.NewChallenge(),
                SignedCommand.Create(JobActions.Start, "j", spec, stranger, DateTimeOffset.UtcNow, owner: _owner.Address))),
            ("another job's command", new RunShare(CommandEnvelope.PipelineIdOf(_owner.Address, "k"), 0, JobShareSigning.NewChallenge(), start)),
            ("not a START_JOB", new RunShare(jobId, 0, JobShareSigning.NewChallenge(), SignedCommand.Create(JobActions.Get, "j", null, _owner, DateTimeOffset.UtcNow))),
            ("another network's command", new RunShare(jobId, 0, JobShareSigning.NewChallenge(),
                SignedCommand.Create(JobActions.Start, "j", spec, _owner, DateTimeOffset.UtcNow, network: "another-network"))),
            ("tampered", new RunShare(jobId, 0, JobShareSigning.NewChallenge(), new SignedCommand(start.Json.Replace("\"t\":1", "\"t\":9")))),
            ("no command", new RunShare(jobId, 0, JobShareSigning.NewChallenge(), null!)),
            ("a share the job does not have", new RunShare(jobId, 2, JobShareSigning.NewChallenge(), start)),
            ("no challenge", new RunShare(jobId, 0, "", start)),
        };
        foreach (var (why, run) in dropped)
        {
            var result = ShareOrder.Open(run, services);
            Assert.True(result.Dropped is not null && result.Work is null && result.Refusal is null, why);
        }
    }
}
