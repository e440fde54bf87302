using Akka.Actor;
using Akka.DistributedData;
using Naeural.Actors.Network;
using Naeural.Actors.Nodes;
using Naeural.Actors.Placement;
using Naeural.Ledger.Identity;
using Naeural.Testing;
using Xunit;

namespace Naeural.Actors.Tests.Network;

/// <summary>A hostile member writes into the replicated heartbeat map: what it writes for others, or under junk keys, counts for nothing.</summary>
public sealed class GossipForgeryTests : Akka.TestKit.Xunit2.TestKit
{
    private static readonly TimeSpan GossipBound = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task A_member_that_writes_a_heartbeat_under_another_nodes_id_with_a_fake_gpu_is_ignored_and_placement_does_not_pick_it()
    {
        const int Victim = 0, Reader = 1, Attacker = 2;
        await using var network = await InProcessNetwork.StartAsync(3);
        await AllSeeAsync(network, 3);
        var victim = network[Victim];
        var attackerKey = network[Attacker].Service<NodeKey>();
        network[Attacker].System.ActorOf(HeartbeatForger.Props(() =>
            [(victim.NodeId, ForgedHeartbeat.Of(victim.NodeId, victim.Address.ToString(), attackerKey, gpu: new GpuInfo("forged", 80_000)))]));

        // The forgery reached the reader's replica…
        await AwaitAssertAsync(async () => Assert.Contains(await RawEntriesAsync(network[Reader]), e => e.Key == victim.NodeId && ForgedHeartbeat.IsForged(e.Value)),
            GossipBound, TimeSpan.FromMilliseconds(50));

        // …but its view shows the victim as it is, and a GPU pipeline finds no home.
        for (var i = 0; i < 10; i++)
        {
            var seen = (await network[Reader].Client.GetNodesAsync()).Find(victim.NodeId);
            Assert.NotNull(seen);
            Assert.Null(seen.Resources.Gpu);
            await Task.Delay(100);
        }

        var deployed = await new Developer().ClientFor(network[Reader]).DeployAsync(GpuSpec);
        Assert.Equal(PlacementCodes.Pending, deployed.Code);
    }

    [Fact]
    public async Task Junk_keys_and_addresses_in_the_heartbeat_map_do_not_break_the_network_view()
    {
        await using var network = await InProcessNetwork.StartAsync(2);
        await AllSeeAsync(network, 2);
        var junkSigner = NodeKey.Generate();
        network[1].System.ActorOf(HeartbeatForger.Props(() =>
        [
            ("not-an-address", ForgedHeartbeat.Unsigned("not-an-address", "not an akka address")),
            ("0x" + new string('z', 40), ForgedHeartbeat.Unsigned("0x" + new string('z', 40), network[1].Address.ToString())),
            (junkSigner.Address, ForgedHeartbeat.Of(junkSigner.Address, "not an akka address", junkSigner)),
        ]));

        await AwaitAssertAsync(async () => Assert.Contains(await RawEntriesAsync(network[0]), e => e.Key == "not-an-address"),
            GossipBound, TimeSpan.FromMilliseconds(50));
        for (var i = 0; i < 5; i++)
        {
            var view = await network[0].Client.GetNodesAsync();
            Assert.Equal(network.Nodes.Select(n => n.NodeId).Order(StringComparer.OrdinalIgnoreCase), view.Nodes.Select(n => n.Resources.NodeId));
            await Task.Delay(100);
        }
    }

    private const string GpuSpec = """
        {
          "NAME": "wants-gpu",
          "TYPE": "Void",
          "PLACEMENT": { "GPU": true },
          "PLUGINS": [ { "SIGNATURE": "COUNTER", "INSTANCES": [ { "INSTANCE_ID": "c" } ] } ]
        }
        """;

    private static async Task<IReadOnlyDictionary<string, object>> RawEntriesAsync(InProcessNode node)
    {
        var response = await DistributedData.Get(node.System).Replicator.Ask<IGetResponse>(
            Dsl.Get(NetworkKeys.Resources, ReadLocal.Instance), TimeSpan.FromSeconds(5));
        return response is GetSuccess success
            ? success.Get(NetworkKeys.Resources).Entries.ToDictionary(e => e.Key, e => (object)e.Value)
            : new Dictionary<string, object>();
    }

    private async Task AllSeeAsync(InProcessNetwork network, int count)
    {
        foreach (var node in network.Nodes)
        {
            await AwaitAssertAsync(async () => Assert.Equal(count, (await node.Client.GetNodesAsync()).Nodes.Length),
                GossipBound, TimeSpan.FromMilliseconds(200));
        }
    }
}
