using System.Text.Json.Nodes;
using Akka.Actor;
using Akka.Cluster.Sharding;
using Naeural.Actors.Commands;
using Naeural.Actors.Network;
using Naeural.Actors.Payloads;
using Naeural.Actors.Pipelines;
using Naeural.Actors.Placement;
using Naeural.Actors.Replication;
using Naeural.Actors.Security;
using Naeural.Ledger.Identity;
using Naeural.Testing;
using Xunit;

namespace Naeural.Actors.Tests.Security;

/// <summary>
/// A hostile member (a node of the network, with its own admitted key) writes forged pipeline state and forged placement to
/// the other members: history not signed by the owner, payloads for a pipeline it does not host, a create in the owner's
/// name it signed itself, sent as a placement and as a wake. Every replica refuses, nothing is placed, and when the
/// pipeline's host crashes the pipeline comes back with the owner's spec (as the owner last changed it) and only the host's
/// payloads, every number once.
/// </summary>
public sealed class HostileReplicaTests : Akka.TestKit.Xunit2.TestKit
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(250);

    [Fact]
    public async Task Forged_pipeline_state_and_placement_from_a_member_change_nothing()
    {
        await using var network = await InProcessNetwork.StartAsync(4, _ => new NodeCustomization(Options: o => o.UnreachableAfterSeconds = 5));
        var owner = new Developer();
        var client = owner.ClientFor(network[0]);
        await AwaitAssertAsync(async () => Assert.Equal(4, (await client.GetNodesAsync()).Nodes.Length), Bound, Poll);

        // A few pipelines; the one watched runs on a node other than the seed (where the client is); the hostile member is another.
        var deployed = await Task.WhenAll(Enumerable.Range(0, 4).Select(i => client.DeployAsync(Specs.Sensor($"guarded-{i}", "PASS_THROUGH", rate: 20))));
        var homes = await Task.WhenAll(deployed.Select(d => network[0].PipelineStatusAsync(d.PipelineId)));
        var watched = homes.First(h => h.NodeId != network[0].NodeId);
        var (pipelineId, name) = (watched.PipelineId, watched.PipelineId[(watched.PipelineId.IndexOf('/') + 1)..]);
        var home = network.Nodes.Single(n => n.NodeId == watched.NodeId);
        var hostile = network.Nodes.Skip(1).First(n => n != home);
        var hostileKey = hostile.Service<NodeKey>();
        var collector = new PayloadCollector();
        await using var subscription = await collector.SubscribeAsync(client, name);
        await AwaitAssertAsync(() => Assert.True(collector.Payloads.Count >= 5), Bound, Poll);

        // Forgeries, each sent by the hostile member to every other member's replica and advisor.
        var stop = SignedCommand.Create(PipelineActions.Stop, name, null, hostileKey, DateTimeOffset.UtcNow, owner: owner.Address);
        var ownersName = SignedCommand.Create(PipelineActions.Create, name,
            JsonNode.Parse(Specs.Sensor(name, "PASS_THROUGH", rate: 1)), hostileKey, DateTimeOffset.UtcNow, owner: owner.Address);
        var payload = new PayloadDelivered(pipelineId, 1_000_000, PayloadFormat.Build(hostile.NodeId, name,
            new PendingPayload("PASS_THROUGH", "forged", """{"FORGED":true}""", DateTimeOffset.UtcNow), 1_000_000, hostileKey, NetworkIds.Default));
        var probe = CreateTestProbe(hostile.System);
        foreach (var target in network.Nodes.Where(n => n != hostile))
        {
            var replica = hostile.System.ActorSelection(new RootActorPath(target.Address) / "user" / PipelineReplica.Name);
            replica.Tell(new ReplicateHistory(pipelineId, [new HistoryEntry(99, stop)]), probe.Ref);
            Assert.Contains("not its owner's", (await probe.ExpectMsgAsync<ReplicaRefused>(Bound)).Reason);
            replica.Tell(new ReplicateHistory(pipelineId, [new HistoryEntry(1, ownersName)]), probe.Ref);
            Assert.Contains("not its owner's", (await probe.ExpectMsgAsync<ReplicaRefused>(Bound)).Reason);
            replica.Tell(new ReplicatePayloads(pipelineId, 0, [payload]), probe.Ref);
            Assert.Matches("does not host|no history", (await probe.ExpectMsgAsync<ReplicaRefused>(Bound)).Reason); // held here or not

            var advisor = hostile.System.ActorSelection(new RootActorPath(target.Address) / "user" / PlacementAdvisor.Name);
            // Placed or woken with a create in the owner's name it signed itself: refused before anything reaches the region.
            advisor.Tell(new WakePipeline(pipelineId, new PipelineCommandRequest(pipelineId, ownersName)), probe.Ref);
            Assert.Contains("not its owner's create", (await probe.ExpectMsgAsync<HostRefused>(Bound)).Reason);
            advisor.Tell(new HostPipeline(new PipelineCommandRequest(pipelineId, ownersName)), probe.Ref);
            Assert.Contains("not its owner's create", (await probe.ExpectMsgAsync<HostRefused>(Bound)).Reason);
        }

        // Made-up pipelines: nothing is stored and no entity starts anywhere (a replica asks its region only about what it holds).
        const string ghost = "0x00000000000000000000000000000000000000aa/ghost";
        foreach (var target in network.Nodes.Where(n => n != hostile))
        {
            var replica = hostile.System.ActorSelection(new RootActorPath(target.Address) / "user" / PipelineReplica.Name);
            replica.Tell(new ReplicatePayloads(ghost, 0, []), probe.Ref);
            Assert.Contains("no history", (await probe.ExpectMsgAsync<ReplicaRefused>(Bound)).Reason);
            var advisor = hostile.System.ActorSelection(new RootActorPath(target.Address) / "user" / PlacementAdvisor.Name);
            advisor.Tell(new HostPipeline(new PipelineCommandRequest(ghost, new SignedCommand("{}"))), probe.Ref);
            await probe.ExpectMsgAsync<HostRefused>(Bound);
            advisor.Tell(new HostPipeline(null!), probe.Ref);
            await probe.ExpectMsgAsync<HostRefused>(Bound);
        }

        foreach (var node in network.Nodes)
        {
            var regionState = await node.Registered<PipelineEntity>().Ask<CurrentShardRegionState>(GetShardRegionState.Instance, Bound);
            Assert.DoesNotContain(regionState.Shards, shard => shard.EntityIds.Contains(ghost));
        }

        // Nothing moved: same home, the owner's spec (version 1: the create only), still running.
        var status = await network[0].PipelineStatusAsync(pipelineId);
        Assert.Equal((PipelineStatus.Running, home.NodeId, 1L), (status.Status, status.NodeId, status.Version));

        // The owner changes the spec (version 2); then the host crashes: the pipeline comes back from its replicas with the
        // owner's history applied in order (create, then the change), and nothing else.
        await client.UpdateConfigAsync(name, JsonNode.Parse("""{ "CAP_RESOLUTION": 25 }""")!.AsObject());
        var before = collector.LastSequence;
        ((ExtendedActorSystem)home.System).Abort();
        await AwaitAssertAsync(async () =>
        {
            var now = await network.Nodes.First(n => n != home).Registered<PipelineEntity>().Ask<PipelineStatusReport>(new GetPipelineStatus(pipelineId), TimeSpan.FromSeconds(3));
            Assert.Equal((PipelineStatus.Running, 2L), (now.Status, now.Version));
            Assert.NotEqual(home.NodeId, now.NodeId);
            Assert.Equal(25, JsonNode.Parse(now.SpecJson!)!["CAP_RESOLUTION"]!.GetValue<double>());
        }, Bound, Poll);
        await AwaitAssertAsync(() => Assert.True(collector.LastSequence >= before + 5), Bound, Poll);
        Assert.Empty(collector.DeliveryProblems());
        Assert.DoesNotContain(collector.Payloads, p => p.Sequence >= 1_000_000 || p.Json.ToJsonString().Contains("FORGED"));
    }
}
