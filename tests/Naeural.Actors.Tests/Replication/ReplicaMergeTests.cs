using Naeural.Actors.Commands;
using Naeural.Actors.Payloads;
using Naeural.Actors.Replication;
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
        // A lying replica: a forged entry at version 3, a forged payload, another pipeline's, and a floor far ahead.
        var liar = new ReplicaContent(Pipeline, [good(1), new HistoryEntry(3, new SignedCommand("forged"))],
            [payload(7, "forger"), new PayloadDelivered("0xother/p", 8, "host")], 1_000, 6);

        var merged = ReplicaMerge.Merge(Pipeline, [honest, liar, new ReplicaContent(Pipeline, default, default, 0, 0)],
            e => e.Command.Json.StartsWith("good", StringComparison.Ordinal), p => p.SignedJson == "host");

        Assert.Equal([1L, 2L], merged.History.Select(e => e.Version));
        Assert.Equal([5L, 6L], merged.Payloads.Select(p => p.Sequence)); // the liar's floor (1,000) prunes nothing
        Assert.Equal(1_000, merged.LastSequence); // numbering never goes back: a claim too high only skips (announced)
    }
}
