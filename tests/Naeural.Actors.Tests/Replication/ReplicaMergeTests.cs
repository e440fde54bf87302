using Naeural.Actors.Commands;
using Naeural.Actors.Payloads;
using Naeural.Actors.Replication;
using Naeural.Actors.Security;
using Naeural.Ledger.Identity;
using Naeural.Ledger.Signing;
using Xunit;

namespace Naeural.Actors.Tests.Replication;

/// <summary>What a recovering pipeline takes from its replicas: only what holds on its own, and numbers that never go back.</summary>
public sealed class ReplicaMergeTests
{
    private const string Pipeline = "0x1111111111111111111111111111111111111111/p";

    [Fact]
    public void Only_entries_and_payloads_that_hold_are_kept_one_each_and_no_replicas_floor_drops_a_held_payload()
    {
        var good = (long v) => new HistoryEntry(v, new SignedCommand($"good-{v}"));
        var payload = (long s, string who) => new PayloadDelivered(Pipeline, s, who);
        var honest = new ReplicaContent(Pipeline, [good(1), good(2)], [payload(5, "host"), payload(6, "host")], 4, 6);
        // (its LastSequence, 6, is a claim: the merge reads the payloads instead)
        // A lying replica: a forged entry at version 3, a forged payload, another pipeline's, and a floor far ahead.
        var liar = new ReplicaContent(Pipeline, [good(1), new HistoryEntry(3, new SignedCommand("forged"))],
            [payload(7, "forger"), new PayloadDelivered("0xother/p", 8, "host")], 1_000, 1_000_000);

        var merged = ReplicaMerge.Merge(Pipeline, [honest, liar, new ReplicaContent(Pipeline, default, default, 0, 0)],
            e => e.Command.Json.StartsWith("good", StringComparison.Ordinal), p => p.SignedJson == "host");

        Assert.Equal([1L, 2L], merged.History.Select(e => e.Version));
        Assert.Equal([5L, 6L], merged.Payloads.Select(p => p.Sequence)); // the liar's floor (1,000) prunes nothing
        Assert.Equal(6, merged.LastSequence); // from payloads that hold, never from a bare claim
    }

    [Fact]
    public void A_payload_holds_only_signed_by_the_node_its_path_names_for_its_pipeline_at_its_number_on_this_network()
    {
        var host = NodeKey.Generate();
        var other = NodeKey.Generate();
        var verifier = new Secp256k1Verifier();
        string Signed(NodeKey signer, string node, string name, long seq, string network = NetworkIds.Default) => PayloadFormat.Build(node, name,
            new PendingPayload("PASS_THROUGH", "i", """{"X":1}""", DateTimeOffset.UtcNow), seq, signer, network);

        Assert.True(PipelineReplica.PayloadHolds(new PayloadDelivered(Pipeline, 7, Signed(host, host.Address, "p", 7)), verifier, NetworkIds.Default));
        Assert.False(PipelineReplica.PayloadHolds(new PayloadDelivered(Pipeline, 7, Signed(other, host.Address, "p", 7)), verifier, NetworkIds.Default));
        Assert.False(PipelineReplica.PayloadHolds(new PayloadDelivered(Pipeline, 8, Signed(host, host.Address, "p", 7)), verifier, NetworkIds.Default));
        Assert.False(PipelineReplica.PayloadHolds(new PayloadDelivered(Pipeline, 7, Signed(host, host.Address, "other", 7)), verifier, NetworkIds.Default));
        Assert.False(PipelineReplica.PayloadHolds(new PayloadDelivered(Pipeline, 7, Signed(host, host.Address, "p", 7, "naeural-testnet")), verifier, NetworkIds.Default));
        Assert.False(PipelineReplica.PayloadHolds(new PayloadDelivered(Pipeline, 7, "{not json"), verifier, NetworkIds.Default));
        Assert.False(PipelineReplica.PayloadHolds(new PayloadDelivered(Pipeline, 7, "[1]"), verifier, NetworkIds.Default));
    }
}
