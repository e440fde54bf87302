using Akka.Actor;
using Akka.Cluster;
using Akka.DistributedData;
using Naeural.Actors.Client;
using Naeural.Actors.Pipelines;
using Naeural.Actors.Security;
using Naeural.Ledger.Identity;
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
        var (node, developer, client, listed) = await OneListedAsync(network, "listed");
        var id = listed.PipelineId;

        // What a replication anomaly does: the merged map loses the entry, though nothing archived the pipeline.
        var replicator = DistributedData.Get(node.System).Replicator;
        var cluster = Cluster.Get(node.System);
        var removed = await replicator.Ask<IUpdateResponse>(Dsl.Update(PipelineDirectory.Key, LWWDictionary<string, SignedPipelineSummary>.Empty,
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

    [Fact]
    public async Task Summaries_forged_in_another_nodes_name_or_signed_for_another_network_are_not_listed_and_the_genuine_one_stays()
    {
        await using var network = await InProcessNetwork.StartAsync(1);
        var (node, developer, client, genuine) = await OneListedAsync(network, "listed");

        // A hostile member writes straight into the replicated map: the victim's pipeline archived and a ghost pipeline, both
        // in the victim node's name but signed with the attacker's key; one unsigned; one signed by its host for a testnet.
        var attacker = NodeKey.Generate();
        var stranger = NodeKey.Generate();
        var owner = developer.Address.ToLowerInvariant();
        var archived = genuine with { Status = PipelineStatus.Archived, UpdatedAt = DateTimeOffset.UtcNow };
        var ghost = genuine with { PipelineId = $"{owner}/ghost", Name = "ghost" };
        var unsigned = genuine with { PipelineId = $"{owner}/unsigned", Name = "unsigned" };
        var testnet = genuine with { PipelineId = $"{owner}/testnet", Name = "testnet", NodeId = stranger.Address };
        var marker = genuine with { PipelineId = $"{owner}/marker", Name = "marker", NodeId = stranger.Address };
        var forged = new Dictionary<string, SignedPipelineSummary>
        {
            [genuine.PipelineId] = SignedPipelineSummary.Sign(archived, attacker, NetworkIds.Default),
            [ghost.PipelineId] = SignedPipelineSummary.Sign(ghost, attacker, NetworkIds.Default),
            [unsigned.PipelineId] = new(unsigned, null!),
            [testnet.PipelineId] = SignedPipelineSummary.Sign(testnet, stranger, "naeural-testnet"),
            [marker.PipelineId] = SignedPipelineSummary.Sign(marker, stranger, NetworkIds.Default), // honest: shows the write was read
        };
        var cluster = Cluster.Get(node.System);
        var written = await DistributedData.Get(node.System).Replicator.Ask<IUpdateResponse>(Dsl.Update(PipelineDirectory.Key,
            LWWDictionary<string, SignedPipelineSummary>.Empty, WriteLocal.Instance,
            map => forged.Aggregate(map, (m, e) => m.SetItem(cluster, e.Key, e.Value))), Bound);
        Assert.IsType<UpdateSuccess>(written);

        var directory = node.Registered<PipelineDirectory>();
        await AwaitAssertAsync(async () =>
        {
            var listed = (await directory.Ask<PipelineList>(new GetPipelines(null), Bound)).Pipelines;
            Assert.Equal([genuine.PipelineId, marker.PipelineId], listed.Select(p => p.PipelineId));
            var kept = listed.Single(p => p.PipelineId == genuine.PipelineId);
            Assert.Equal((PipelineStatus.Running, node.NodeId), (kept.Status, kept.NodeId));
        }, Bound, Poll);
    }

    [Fact]
    public async Task The_hosts_own_running_summary_replayed_after_the_pipeline_was_archived_does_not_list_it_again()
    {
        await using var network = await InProcessNetwork.StartAsync(1);
        var (node, _, client, listed) = await OneListedAsync(network, "gone");
        var id = listed.PipelineId;
        var replicator = DistributedData.Get(node.System).Replicator;
        var running = ((GetSuccess)await replicator.Ask<IGetResponse>(Dsl.Get(PipelineDirectory.Key, ReadLocal.Instance), Bound))
            .Get(PipelineDirectory.Key)[id];

        await client.ArchiveAsync("gone");
        await AwaitAssertAsync(async () => Assert.Empty(await client.GetPipelinesAsync()), Bound, Poll);

        // A member kept the host's genuine "running" entry and writes it back (after removing whatever the key holds).
        var cluster = Cluster.Get(node.System);
        var replayed = await replicator.Ask<IUpdateResponse>(Dsl.Update(PipelineDirectory.Key, LWWDictionary<string, SignedPipelineSummary>.Empty,
            WriteLocal.Instance, map => map.Remove(cluster, id).SetItem(cluster, id, running)), Bound);
        Assert.IsType<UpdateSuccess>(replayed);
        await client.DeployAsync(Specs.Sensor("marker", "PASS_THROUGH", rate: 1)); // a later write: the replay was read by then

        await AwaitAssertAsync(async () =>
            Assert.Equal(["marker"], (await client.GetPipelinesAsync()).Select(p => p.Name)), Bound, Poll);
    }

    /// <summary>A developer's sensor pipeline <paramref name="name"/> deployed on the network's node and listed by the directory.</summary>
    private async Task<(InProcessNode Node, Developer Developer, NaeuralClient Client, PipelineSummary Listed)> OneListedAsync(
        InProcessNetwork network, string name)
    {
        var developer = new Developer();
        var client = developer.ClientFor(network[0]);
        await client.DeployAsync(Specs.Sensor(name, "PASS_THROUGH", rate: 1));
        await AwaitAssertAsync(async () => Assert.Single(await client.GetPipelinesAsync()), Bound, Poll);
        return (network[0], developer, client, Assert.Single(await client.GetPipelinesAsync()));
    }
}
