using Akka.Actor;
using Akka.Cluster;
using Akka.DistributedData;
using Naeural.Actors.Pipelines;
using Naeural.Testing;
using Xunit;

namespace Naeural.Actors.Tests.Pipelines;

public sealed class PipelineDirectoryTests : Akka.TestKit.Xunit2.TestKit
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(200);

    [Fact]
    public async Task An_entry_lost_from_the_replicated_directory_is_written_again_by_the_node_that_hosts_it()
    {
        await using var network = await InProcessNetwork.StartAsync(1);
        var node = network[0];
        var developer = new Developer();
        await using var client = developer.ClientFor(node);
        await client.DeployAsync(Specs.Sensor("listed", "PASS_THROUGH", rate: 1));
        await AwaitAssertAsync(async () => Assert.Single(await client.GetPipelinesAsync()), Bound, Poll);
        var id = Assert.Single(await client.GetPipelinesAsync()).PipelineId;

        // What a replication anomaly does: the merged map loses the entry, though nothing archived the pipeline.
        var replicator = DistributedData.Get(node.System).Replicator;
        var cluster = Cluster.Get(node.System);
        var removed = await replicator.Ask<IUpdateResponse>(Dsl.Update(PipelineDirectory.Key, LWWDictionary<string, PipelineSummary>.Empty,
            WriteLocal.Instance, map => map.Remove(cluster, id)), Bound);
        Assert.IsType<UpdateSuccess>(removed);

        await AwaitAssertAsync(async () =>
        {
            var listed = Assert.Single(await client.GetPipelinesAsync());
            Assert.Equal((id, PipelineStatus.Running, node.NodeId), (listed.PipelineId, listed.Status, listed.NodeId));
            var merged = await replicator.Ask<IGetResponse>(Dsl.Get(PipelineDirectory.Key, ReadLocal.Instance), Bound);
            Assert.True(((GetSuccess)merged).Get(PipelineDirectory.Key).ContainsKey(id));
        }, Bound, Poll);
    }
}
