using Akka.Actor;
using Akka.Cluster.Sharding;
using Naeural.Actors.Nodes;
using Naeural.Testing;
using Xunit;

namespace Naeural.Actors.Tests.Network;

/// <summary>Each node's sharded record lives on the node itself, is reached by node id from any member, and dates its heartbeat.</summary>
public sealed class NodeEntityTests : Akka.TestKit.Xunit2.TestKit
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(200);

    [Fact]
    public async Task A_nodes_record_is_kept_on_that_node_reached_by_its_id_from_another_member_and_its_heartbeat_carries_since_when()
    {
        await using var network = await InProcessNetwork.StartAsync(3);
        var target = network[2];

        NodeRecord record = null!;
        await AwaitAssertAsync(async () =>
        {
            record = await network[0].Registered<NodeEntity>().Ask<NodeRecord>(new GetNodeRecord(target.NodeId), TimeSpan.FromSeconds(3));
            Assert.Equal(target.Address.ToString(), record.AkkaAddress);
            Assert.NotNull(record.FirstRecorded);
        }, Bound, Poll);

        // The shard named after the node is on the node's own region, not on the member that asked.
        var state = await target.Registered<NodeEntity>().Ask<CurrentShardRegionState>(GetShardRegionState.Instance, Bound);
        Assert.Contains(state.Shards, s => s.ShardId == target.NodeId.ToLowerInvariant());
        var asker = await network[0].Registered<NodeEntity>().Ask<CurrentShardRegionState>(GetShardRegionState.Instance, Bound);
        Assert.DoesNotContain(asker.Shards, s => s.ShardId == target.NodeId.ToLowerInvariant());

        await AwaitAssertAsync(async () =>
        {
            var seen = (await network[1].Client.GetNodesAsync()).Nodes.Single(n => n.Resources.NodeId == target.NodeId);
            Assert.Equal(record.FirstRecorded, seen.Resources.Since);
        }, Bound, Poll);
    }
}
