using Akka.Actor;
using Naeural.Actors.Security;
using Naeural.Actors.Payloads;
using Naeural.Actors.Replication;
using Naeural.Host.Hosting;
using Naeural.Ledger.Identity;
using Naeural.Testing;
using Xunit;

namespace Naeural.Actors.Tests.Replication;

/// <summary>
/// A replica may hold far more unacknowledged payloads than one message can carry (a subscriber that fell behind): a new
/// home gathering them reads page by page, and gets every one.
/// </summary>
public sealed class ReplicaReadPagingTests : Akka.TestKit.Xunit2.TestKit
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_replica_holding_more_than_one_message_can_carry_is_gathered_whole()
    {
        await using var network = await InProcessNetwork.StartAsync(2, _ => new NodeCustomization(Options: o => o.PipelineReplicas = 3));
        var (gatherer, holder) = (network[0], network[1]);
        await AwaitAssertAsync(async () => Assert.Equal(2, (await gatherer.Client.GetNodesAsync()).Nodes.Length), Bound);

        // 6,000 payloads of ~1.2 kB each, signed by the holder as their host: about 7 MB, over the 4 MiB message cap.
        const string name = "backlog";
        var pipelineId = $"{new Developer().Address.ToLowerInvariant()}/{name}";
        var key = holder.Service<NodeKey>();
        var data = $$"""{ "TEXT": "{{new string('x', 900)}}" }""";
        var payloads = Enumerable.Range(1, 6_000)
            .Select(i => new PayloadDelivered(pipelineId, i, PayloadFormat.Build(holder.NodeId, name,
                new PendingPayload("PASS_THROUGH", "all", data, DateTimeOffset.UtcNow), i, key, NetworkIds.Default)))
            .ToList();
        Assert.True(payloads.Sum(p => (long)p.SignedJson.Length) > 4 * 1024 * 1024);
        using (var store = new SqlitePipelineReplicaStore(Path.Combine(holder.DataDirectory, "pipeline-replica.db")))
        {
            store.AddPayloads(pipelineId, 0, payloads);
        }

        // A starting pipeline and its outbox gather at once: the second is answered by the first's read, both in full.
        var (entity, outbox) = (CreateTestProbe(gatherer.System), CreateTestProbe(gatherer.System));
        gatherer.System.ActorSelection(PipelineReplica.Path).Tell(new GatherReplica(pipelineId), entity.Ref);
        gatherer.System.ActorSelection(PipelineReplica.Path).Tell(new GatherReplica(pipelineId), outbox.Ref);
        var (content, second) = (await entity.ExpectMsgAsync<ReplicaContent>(Bound), await outbox.ExpectMsgAsync<ReplicaContent>(Bound));
        Assert.Same(content, second); // one read, one merge
        Assert.Equal(Enumerable.Range(1, 6_000).Select(i => (long)i), content.Payloads.Select(p => p.Sequence));
        Assert.Equal(6_000, content.LastSequence);
    }
}
