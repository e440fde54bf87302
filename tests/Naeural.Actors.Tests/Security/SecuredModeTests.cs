using System.Collections.Immutable;
using System.Text.Json.Nodes;
using Akka.Actor;
using Naeural.Actors.Client;
using Naeural.Actors.Commands;
using Naeural.Actors.Nodes;
using Naeural.Actors.Pipelines;
using Naeural.Actors.Placement;
using Naeural.Ledger.Identity;
using Naeural.Testing;
using Xunit;

namespace Naeural.Actors.Tests.Security;

/// <summary>
/// <c>--secured</c> (the original's <c>EE_SECURED</c>): only the allow-list's owners and the node's operator command a
/// secured node, even when the list is empty; at the front door, at the entities behind it, and in placement.
/// </summary>
public sealed class SecuredModeTests : Akka.TestKit.Xunit2.TestKit
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_secured_node_with_an_empty_list_admits_only_its_operator_at_the_front_door_and_at_the_entity()
    {
        await using var network = await InProcessNetwork.StartAsync(1, _ => new NodeCustomization(Options: o => o.Secured = true));
        var node = network[0];
        var developer = new Developer();

        var refused = await Assert.ThrowsAsync<PipelineCommandException>(() => developer.ClientFor(node).DeployAsync(Specs.Sensor("mine", "COUNTER")));
        Assert.Equal(RejectionCodes.NotAllowed, refused.Code);
        Assert.Contains("is SECURED", refused.Reason);
        var subscribe = await Assert.ThrowsAsync<PipelineCommandException>(() => developer.ClientFor(node).SubscribeAsync("mine", _ => { }));
        Assert.Equal(RejectionCodes.NotAllowed, subscribe.Code);

        // Placement puts no pipeline of an unlisted owner on a secured node, so sharding never wakes one here; the entity
        // applies the same rule all the same, reached directly (bypassing the front door and sharding).
        var bypass = SignedCommand.Create(PipelineActions.Create, "bypass", JsonNode.Parse(Specs.Sensor("bypass", "COUNTER")), developer.Key, DateTimeOffset.UtcNow);
        var id = CommandEnvelope.PipelineIdOf(developer.Address, "bypass");
        var entity = node.System.ActorOf(PipelineEntity.Props(id, node.Service<PipelineServices>()));
        var answer = await entity.Ask<CommandRejected>(new PipelineCommandRequest(id, bypass), Bound);
        Assert.Equal(RejectionCodes.NotAllowed, answer.Code);
        Assert.Contains("is SECURED", answer.Reason);
        Assert.Equal(PipelineStatus.None, (await entity.Ask<PipelineStatusReport>(new GetPipelineStatus(id), Bound)).Status);
        Assert.DoesNotContain(await node.Client.GetPipelinesAsync(onlyMine: false), p => p.PipelineId == id);

        // The operator's own key is admitted.
        var operatorClient = NaeuralClient.ForNode(node.System, node.Service<NodeKey>(), Developer.Options);
        Assert.Equal(NotificationCodes.PipelineOk, (await operatorClient.DeployAsync(Specs.Sensor("operated", "COUNTER"))).Code);
    }

    [Fact]
    public async Task Naming_the_operator_as_owner_admits_no_stranger_and_nothing_of_theirs_is_compiled()
    {
        await using var network = await InProcessNetwork.StartAsync(1, _ => new NodeCustomization(Options: o => o.Secured = true));
        var node = network[0];
        var stranger = new Developer();
        var client = stranger.ClientFor(node);
        var spec = JsonNode.Parse(Specs.Sensor("borrowed", "CUSTOM_EXEC", "\"CODE\": \"return null;\""));

        // Signed by the stranger, OWNER the node's own id: refused before the spec (and its custom code) is looked at.
        var asOperator = SignedCommand.Create(PipelineActions.Create, "borrowed", spec, stranger.Key, DateTimeOffset.UtcNow, owner: node.NodeId);
        var refused = await Assert.ThrowsAsync<PipelineCommandException>(() => client.SendAsync(asOperator));

        Assert.Equal(RejectionCodes.NotAllowed, refused.Code);
        Assert.DoesNotContain(await node.Client.GetPipelinesAsync(onlyMine: false), p => p.Name == "borrowed");
    }

    [Fact]
    public async Task On_an_unsecured_node_a_stranger_naming_another_owner_is_NOT_OWNER_at_the_front_door()
    {
        await using var network = await InProcessNetwork.StartAsync(1);
        var stranger = new Developer();
        var victim = new Developer();
        var command = SignedCommand.Create(PipelineActions.Create, "theirs", JsonNode.Parse(Specs.Sensor("theirs", "COUNTER")), stranger.Key,
            DateTimeOffset.UtcNow, owner: victim.Address);

        var refused = await Assert.ThrowsAsync<PipelineCommandException>(() => stranger.ClientFor(network[0]).SendAsync(command));

        Assert.Equal(RejectionCodes.NotOwner, refused.Code);
        Assert.DoesNotContain(await network[0].Client.GetPipelinesAsync(onlyMine: false), p => p.Name == "theirs");
    }

    [Fact]
    public async Task A_secured_node_runs_work_for_its_listed_owners_and_an_unsecured_empty_list_still_admits_anyone()
    {
        var listed = new Developer();
        await using var network = await InProcessNetwork.StartAsync(1, _ => new NodeCustomization(Options: o =>
        {
            o.Secured = true;
            o.AllowedOwners = listed.Address;
        }));
        Assert.Equal(NotificationCodes.PipelineOk, (await listed.ClientFor(network[0]).DeployAsync(Specs.Sensor("listed", "COUNTER"))).Code);
        var other = await Assert.ThrowsAsync<PipelineCommandException>(() => new Developer().ClientFor(network[0]).DeployAsync(Specs.Sensor("x", "COUNTER")));
        Assert.Equal(RejectionCodes.NotAllowed, other.Code);

        await using var open = await InProcessNetwork.StartAsync(1);
        Assert.Equal(NotificationCodes.PipelineOk, (await new Developer().ClientFor(open[0]).DeployAsync(Specs.Sensor("anyone", "COUNTER"))).Code);
    }

    [Fact]
    public async Task Placement_never_puts_a_pipeline_on_a_secured_node_that_does_not_list_its_owner()
    {
        const int Secured = 1;
        // A secured node speaks TLS only, so the network does: node keys bound to certificates, admitting each other.
        var keys = new[] { NodeKey.Generate(), NodeKey.Generate() };
        await using var network = await InProcessNetwork.StartAsync(2, i => new NodeCustomization(Options: o =>
        {
            (o.Secured, o.Tls, o.NodeKey) = (i == Secured, true, keys[i].ExportPrivateKeyHex());
            o.Admit = string.Join(",", keys.Select(k => k.Address));
        }));
        var ids = network.Nodes.Select(n => n.NodeId).ToArray();
        foreach (var node in network.Nodes)
        {
            await AwaitAssertAsync(async () =>
            {
                var view = await node.Client.GetNodesAsync();
                Assert.Equal(2, view.Nodes.Length);
                Assert.True(view.Nodes.Single(n => n.Resources.NodeId == ids[Secured]).Resources.Secured, "the secured flag is gossiped");
            }, Bound, TimeSpan.FromMilliseconds(200));
        }

        var client = new Developer().ClientFor(network[0]);
        var deployed = await Task.WhenAll(Enumerable.Range(0, 6).Select(i => client.DeployAsync(Specs.Sensor($"spread-{i}", "COUNTER", rate: 5))));
        foreach (var pipeline in deployed)
        {
            Assert.Equal(ids[0], (await network[0].PipelineStatusAsync(pipeline.PipelineId)).NodeId);
        }

        var pinned = await client.DeployAsync(Specs.Sensor("pinned", "COUNTER").Replace("\"SEED\": 7", $$"""  "SEED": 7, "PLACEMENT": { "NODE": "{{ids[Secured]}}" }"""));
        Assert.Equal(PlacementCodes.Pending, pinned.Code);
        Assert.Contains("is secured and does not list the owner", pinned.Message);
    }

    [Theory]
    [InlineData(false, new string[0], "0xowner", true)]
    [InlineData(false, new[] { "0xOther" }, "0xowner", false)]
    [InlineData(true, new string[0], "0xowner", false)]
    [InlineData(true, new[] { "0xOWNER" }, "0xowner", true)]
    [InlineData(true, new string[0], "0xnode", true)]
    public void The_gossiped_offer_admits_by_the_same_rule_as_the_node(bool secured, string[] allowed, string owner, bool admitted)
    {
        var resources = new NodeResources("0xNODE", "akka.tcp://naeural@h:1", "n", 2, 1024, 512, 0, null, [], [], [],
            [.. allowed], 1, 1, DateTimeOffset.UtcNow, Secured: secured);

        Assert.Equal(admitted, resources.Allows(owner));
        Assert.Equal(admitted, Naeural.Actors.Security.AccessRule.Admits(secured, allowed, "0xnode", owner));
    }
}
