using Akka.Actor;
using Akka.Cluster;
using Naeural.Actors.Network;
using Naeural.Testing;
using Xunit;

namespace Naeural.Actors.Tests.Network;

public sealed class NetworkViewTests : Akka.TestKit.Xunit2.TestKit
{
    private static readonly TimeSpan GossipBound = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Every_member_sees_all_three_nodes_resources_within_a_bounded_time()
    {
        await using var network = await InProcessNetwork.StartAsync(3, i => new NodeCustomization(
            Options: o => o.Tags = $"edge,rack-{i}"));
        var ids = network.Nodes.Select(n => n.NodeId).Order(StringComparer.OrdinalIgnoreCase).ToArray();

        foreach (var observer in network.Nodes)
        {
            await AwaitAssertAsync(async () =>
            {
                var view = await observer.Client.GetNodesAsync();
                Assert.Equal(ids, view.Nodes.Select(n => n.Resources.NodeId));
                foreach (var member in network.Nodes)
                {
                    var seen = view.Find(member.NodeId)!;
                    Assert.True(seen.Reachable);
                    Assert.Equal(member.Address.ToString(), seen.Resources.AkkaAddress);
                    Assert.True(seen.Resources.Cores > 0);
                    Assert.True(seen.Resources.TotalMemoryMb > 0);
                    Assert.Equal<string>(["edge", $"rack-{network.Nodes.ToList().IndexOf(member)}"], seen.Resources.Tags);
                }
            }, GossipBound, TimeSpan.FromMilliseconds(200));
        }
    }

    [Fact]
    public async Task A_member_that_leaves_disappears_from_every_view()
    {
        await using var network = await InProcessNetwork.StartAsync(3);
        await AwaitAssertAsync(async () => Assert.Equal(3, (await network[0].Client.GetNodesAsync()).Nodes.Length),
            GossipBound, TimeSpan.FromMilliseconds(200));

        var leaving = network[2];
        await Cluster.Get(leaving.System).LeaveAsync();

        foreach (var observer in network.Nodes.Take(2))
        {
            await AwaitAssertAsync(async () =>
            {
                var view = await observer.Client.GetNodesAsync();
                Assert.Equal(2, view.Nodes.Length);
                Assert.Null(view.Find(leaving.NodeId));
            }, GossipBound, TimeSpan.FromMilliseconds(200));
        }
    }

    [Fact]
    public async Task A_change_of_local_workload_reaches_every_member()
    {
        await using var network = await InProcessNetwork.StartAsync(2);
        var publisher = await network[0].System.ActorSelection("/user/" + ResourcePublisher.Name).ResolveOne(RemainingOrDefault);

        publisher.Tell(new LocalWorkloadChanged(WorkloadKind.Pipelines, ["demo-pipeline"]));

        await AwaitAssertAsync(async () =>
        {
            var view = await network[1].Client.GetNodesAsync();
            Assert.Equal<string>(["demo-pipeline"], view.Find(network[0].NodeId)?.Resources.Pipelines ?? []);
        }, GossipBound, TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public async Task A_nodes_heartbeat_lists_the_pipelines_running_on_it()
    {
        await using var network = await InProcessNetwork.StartAsync(1);
        var developer = new Developer();
        var client = developer.ClientFor(network[0]);
        await client.DeployAsync(Specs.Sensor("listed", "PASS_THROUGH", rate: 1));
        var id = Naeural.Actors.Commands.CommandEnvelope.PipelineIdOf(developer.Address, "listed");

        await AwaitAssertAsync(async () =>
            Assert.Equal<string>([id], (await client.GetNodesAsync()).Find(network[0].NodeId)!.Resources.Pipelines), GossipBound, TimeSpan.FromMilliseconds(100));

        await client.StopAsync("listed");

        await AwaitAssertAsync(async () =>
            Assert.Empty((await client.GetNodesAsync()).Find(network[0].NodeId)!.Resources.Pipelines), GossipBound, TimeSpan.FromMilliseconds(100));
    }
}
