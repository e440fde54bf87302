using Akka.Actor;
using Akka.Cluster;
using Naeural.Actors.Pipelines;
using Naeural.Actors.Security;
using Naeural.Ledger.Identity;
using Naeural.Ledger.Replication;
using Naeural.Ledger.Signing;
using Naeural.Testing;
using Xunit;

namespace Naeural.Actors.Tests.Placement;

/// <summary>
/// The pipeline shard coordinator on local stores: its shard homes are event-sourced in the journal the oldest member's
/// singletons replicate (one small event per allocation on a majority of the members' own logs, not the coordinator's whole
/// state rewritten for each), so the coordinator that starts on another member after a crash finds them; a pipeline
/// shard's remembered entities stay in its host's log alone.
/// </summary>
public sealed class CoordinatorJournalTests : Akka.TestKit.Xunit2.TestKit
{
    private static readonly string CoordinatorId = $"/system/sharding/{PipelineEntity.TypeName}Coordinator/singleton/coordinator";

    [Fact]
    public async Task Shard_homes_are_on_a_majority_of_the_members_logs_and_remembered_entities_only_on_their_host()
    {
        await using var network = await InProcessNetwork.StartAsync(3);
        var client = new Developer().ClientFor(network[0]);
        var placed = await Task.WhenAll(network.Nodes.Select((node, i) => client.DeployAsync(
            Specs.Sensor($"cj-{i}", "COUNTER").Replace("\"SEED\": 7", $$"""  "SEED": 7, "PLACEMENT": { "NODE": "{{node.NodeId}}" }"""))));

        await AwaitAssertAsync(() =>
        {
            // Every allocation is an event of the coordinator's own history (the shard's id in it), on at least two of the
            // three members' logs.
            var holders = network.Nodes.Count(n => placed.All(p => JournalOf(n).Read(CoordinatorId, 1, long.MaxValue, 10_000)
                .Any(e => System.Text.Encoding.UTF8.GetString(e.Payload).Contains(p.PipelineId, StringComparison.Ordinal))));
            Assert.True(holders >= 2, $"the coordinator's allocations are on {holders} of 3 members' logs");
        }, TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(250));
        foreach (var (accepted, host) in placed.Zip(network.Nodes))
        {
            var shard = $"/sharding/{PipelineEntity.TypeName}Shard/{accepted.PipelineId}";
            Assert.True(JournalOf(host).Head(shard).HighestSeq > 0, $"{host.NodeId} does not remember the entity of {accepted.PipelineId} it runs");
            Assert.All(network.Nodes.Where(n => n != host), other => Assert.Equal(0, JournalOf(other).Head(shard).HighestSeq));
        }
    }

    [Fact]
    public async Task A_member_that_forges_the_coordinators_log_moves_no_pipeline_and_the_next_coordinator_keeps_every_home()
    {
        await using var network = await InProcessNetwork.StartAsync(3);
        var client = new Developer().ClientFor(network[0]);
        var pinned = await client.DeployAsync(
            Specs.Sensor("cj-pinned", "COUNTER").Replace("\"SEED\": 7", $$"""  "SEED": 7, "PLACEMENT": { "NODE": "{{network[1].NodeId}}" }"""));
        await AwaitAssertAsync(() => Assert.True(JournalOf(network[1]).Head(CoordinatorId).HighestSeq > 0), TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(250));

        // The hostile member (not the oldest, so not the coordinator's host) writes into a survivor's copy of the log.
        var hostile = network[2];
        var key = hostile.Service<NodeKey>();
        var signing = new ReplicaSigning(NetworkIds.Default, new Secp256k1Verifier());
        var head = JournalOf(network[1]).Head(CoordinatorId);
        var payload = "forged shard home"u8.ToArray();
        var entry = signing.SignEntry(CoordinatorId, new ReplicatedEntry(head.HighestSeq + 1, head.LogTerm + 5, head.LogTerm, 1, "", payload, "", ""), key);
        var append = signing.SignAppend(new ReplicaAppend(CoordinatorId, head.LogTerm + 5, head.HighestSeq, head.LogTerm, head.HighestSeq + 1, [entry], "", ""), key);
        var replica = hostile.System.ActorSelection(new RootActorPath(network[1].Address) / "user" / LedgerReplica.Name);
        foreach (var forged in new object[]
                 {
                     append,
                     append with { Writer = network[0].NodeId }, // in the coordinator host's name, with its own signature
                     signing.SignPrepare(CoordinatorId, head.Promised + 1_000, key), // to take the term over
                     new ReplicaRead(CoordinatorId, 1, 100),
                 })
        {
            Assert.IsType<ReplicaRefused>(await replica.Ask<object>(forged, TimeSpan.FromSeconds(10)));
        }

        Assert.DoesNotContain(JournalOf(network[1]).Read(CoordinatorId, 1, long.MaxValue, 10_000), e => e.Writer == key.Address);

        // The coordinator's host crashes: the coordinator that starts on a survivor recovers the homes from a majority.
        var crashed = network[0].Address;
        ((ExtendedActorSystem)network[0].System).Abort();
        await AwaitAssertAsync(() => Assert.DoesNotContain(Cluster.Get(network[1].System).State.Members, m => m.Address == crashed),
            TimeSpan.FromSeconds(90), TimeSpan.FromMilliseconds(500));
        await AwaitAssertAsync(async () =>
        {
            var status = await network[2].PipelineStatusAsync(pinned.PipelineId);
            Assert.Equal((PipelineStatus.Running, network[1].NodeId), (status.Status, status.NodeId));
        }, TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(500));
    }

    [Fact]
    public async Task Even_the_oldest_member_cannot_write_another_nodes_remembered_entities_or_push_a_term_out_of_range()
    {
        await using var network = await InProcessNetwork.StartAsync(3);
        // Node 1's replica follows node 0, the oldest, once it has taken the coordinator's writes from it.
        await AwaitAssertAsync(() => Assert.True(JournalOf(network[1]).Head(CoordinatorId).HighestSeq > 0), TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(250));

        var oldest = network[0].Service<NodeKey>();
        var signing = new ReplicaSigning(NetworkIds.Default, new Secp256k1Verifier());
        var local = $"/sharding/{PipelineEntity.TypeName}Shard/0xabc/remembered";
        var entry = signing.SignEntry(local, new ReplicatedEntry(1, 1, 0, 1, "", "forged"u8.ToArray(), "", ""), oldest);
        var replica = network[0].System.ActorSelection(new RootActorPath(network[1].Address) / "user" / LedgerReplica.Name);
        foreach (var message in new object[]
                 {
                     signing.SignPrepare(local, 1, oldest),
                     signing.SignAppend(new ReplicaAppend(local, 1, 0, 0, 1, [entry], "", ""), oldest),
                     new ReplicaRead(local, 1, 10),
                     signing.SignPrepare(CoordinatorId, long.MaxValue, oldest), // the next prepare's term + 1 would wrap
                 })
        {
            Assert.IsType<ReplicaRefused>(await replica.Ask<object>(message, TimeSpan.FromSeconds(10)));
        }

        Assert.Equal(0, JournalOf(network[1]).Head(local).HighestSeq);
        Assert.True(JournalOf(network[1]).Head(CoordinatorId).Promised < LedgerReplica.MaxTerm);
    }

    private static ReplicaLog JournalOf(InProcessNode node) => LedgerReplication.Get(node.System).Settings.Log;
}
