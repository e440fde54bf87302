using Naeural.Actors.Pipelines;
using Naeural.Ledger.Replication;
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
            // Every allocation is an event of the coordinator's own history, on at least two of the three members' logs.
            var holders = network.Nodes.Count(n => JournalOf(n).Head(CoordinatorId).HighestSeq >= placed.Length);
            Assert.True(holders >= 2, $"the coordinator's allocations are on {holders} of 3 members' logs");
        }, TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(250));
        foreach (var (accepted, host) in placed.Zip(network.Nodes))
        {
            var shard = $"/sharding/{PipelineEntity.TypeName}Shard/{accepted.PipelineId}";
            Assert.True(JournalOf(host).Head(shard).HighestSeq > 0, $"{host.NodeId} does not remember the entity of {accepted.PipelineId} it runs");
            Assert.All(network.Nodes.Where(n => n != host), other => Assert.Equal(0, JournalOf(other).Head(shard).HighestSeq));
        }
    }

    private static ReplicaLog JournalOf(InProcessNode node) => LedgerReplication.Get(node.System).Settings.Log;
}
