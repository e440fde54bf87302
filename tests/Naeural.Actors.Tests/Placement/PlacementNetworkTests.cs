using Akka.Actor;
using Akka.Cluster.Sharding;
using Naeural.Actors.Pipelines;
using Naeural.Actors.Placement;
using Naeural.Testing;
using Xunit;
using Xunit.Abstractions;

namespace Naeural.Actors.Tests.Placement;

/// <summary>Placement on real in-process networks: requirements, allow-lists, pinning, pending, and spread.</summary>
public sealed class PlacementNetworkTests(ITestOutputHelper output) : Akka.TestKit.Xunit2.TestKit
{
    private static readonly TimeSpan Placed = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Pipelines_land_only_on_fitting_nodes_that_allow_their_owner_and_wait_pending_until_one_joins()
    {
        var developer = new Developer();
        var stranger = new Developer();
        const int Gpu = 2, Closed = 3, Pinned = 4;
        await using var network = await InProcessNetwork.StartAsync(5, i => new NodeCustomization(
            Options: o => o.AllowedOwners = i == Closed ? stranger.Address : "",
            Probe: i == Gpu ? new FakeGpuProbe() : null));
        var client = developer.ClientFor(network[0]);
        var ids = network.Nodes.Select(n => n.NodeId).ToArray();

        var gpuPipelines = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => client.DeployAsync(Spec($"gpu-{i}", """{ "GPU": true }"""))));
        var pinned = await client.DeployAsync(Spec("pinned", $$"""{ "NODE": "{{ids[Pinned]}}" }"""));
        var anywhere = await Task.WhenAll(Enumerable.Range(0, 24).Select(i => client.DeployAsync(Spec($"any-{i}", "{}"))));

        foreach (var deployed in gpuPipelines)
        {
            Assert.Equal(ids[Gpu], (await network[1].PipelineStatusAsync(deployed.PipelineId)).NodeId);
        }

        Assert.Equal(ids[Pinned], (await network[1].PipelineStatusAsync(pinned.PipelineId)).NodeId);
        var homes = await Task.WhenAll(anywhere.Select(d => network[1].PipelineStatusAsync(d.PipelineId)));
        Assert.DoesNotContain(homes, h => h.NodeId == ids[Closed]);
        Assert.All(homes, h => Assert.Equal(PipelineStatus.Running, h.Status));
        Assert.True(homes.Select(h => h.NodeId).Distinct().Count() >= 3, "spread over the open nodes");

        // Nothing has the tag: accepted as pending, with the reason; placed once a node with it joins.
        var pending = await client.DeployAsync(Spec("camera", """{ "TAGS": ["camera"] }"""));
        Assert.Equal(PlacementCodes.Pending, pending.Code);
        Assert.Contains("lacks tag 'camera'", pending.Message);
        output.WriteLine(pending.Message);
        // A read on a node that does not fit makes sharding allocate the pipeline's shard there, before any create: once a
        // fitting node joins, that node gives the shard up (the create does not fit it) and the pipeline moves to its home.
        Assert.NotEqual(PipelineStatus.Running, (await network[1].PipelineStatusAsync(pending.PipelineId)).Status);
        var camera = await network.AddNodeAsync(new NodeCustomization(Options: o => o.Tags = "camera"));
        await network.WaitUntilFormedAsync();
        await AwaitAssertAsync(async () =>
        {
            var status = await network[1].PipelineStatusAsync(pending.PipelineId);
            Assert.Equal((PipelineStatus.Running, camera.NodeId), (status.Status, status.NodeId));
        }, Placed, TimeSpan.FromMilliseconds(500));
    }

    [Fact]
    public async Task A_hundred_pipelines_spread_over_five_nodes_within_five_of_each_other()
    {
        await using var network = await InProcessNetwork.StartAsync(5);
        var client = new Developer().ClientFor(network[2]);

        var deployed = await Task.WhenAll(Enumerable.Range(0, 100).Select(i => client.DeployAsync(Spec($"p-{i:000}", "{}"))));

        var homes = await Task.WhenAll(deployed.Select(d => network[0].PipelineStatusAsync(d.PipelineId)));
        var perNode = network.Nodes.ToDictionary(n => n.NodeId, n => homes.Count(h => h.NodeId == n.NodeId));
        output.WriteLine(string.Join(", ", perNode.Values));
        Assert.Equal(100, perNode.Values.Sum());
        // Power of two choices decided by one front door alone: near even, not exact (least-loaded of each two candidates).
        Assert.InRange(perNode.Values.Max() - perNode.Values.Min(), 0, 5);
    }

    private static string Spec(string name, string placement) => $$"""
        {
          "NAME": "{{name}}",
          "TYPE": "Void",
          "PLACEMENT": {{placement}},
          "PLUGINS": [ { "SIGNATURE": "COUNTER", "INSTANCES": [ { "INSTANCE_ID": "c" } ] } ]
        }
        """;
}
