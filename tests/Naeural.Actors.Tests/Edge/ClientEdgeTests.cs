using System.Text.Json.Nodes;
using Akka.Actor;
using Naeural.Actors.Commands;
using Naeural.Actors.Edge;
using Naeural.Actors.Network;
using Naeural.Actors.Payloads;
using Naeural.Actors.Pipelines;
using Naeural.Ledger.Identity;
using Xunit;

namespace Naeural.Actors.Tests.Edge;

/// <summary>The client edge's actor on its own, node-side actors played by probes: what it routes, answers, proxies and bounds.</summary>
public sealed class ClientEdgeTests : Akka.TestKit.Xunit2.TestKit
{
    private readonly NodeKey _owner = NodeKey.Generate();

    private (IActorRef Edge, Akka.TestKit.TestProbe Api) StartEdge(EdgeSettings? settings = null)
    {
        var api = CreateTestProbe();
        var routes = EdgeRoutes.ForKernel(Sys, "0x" + new string('1', 40), api.Ref, CreateTestProbe().Ref);
        return (Sys.ActorOf(ClientEdge.Props(routes, settings ?? new EdgeSettings())), api);
    }

    private SignedCommand Subscribe() =>
        SignedCommand.Create(PipelineActions.Subscribe, "p", new JsonObject(), _owner, DateTimeOffset.UtcNow);

    [Fact]
    public void A_request_is_answered_by_the_edge_itself_never_by_the_node_side_actor()
    {
        var (edge, api) = StartEdge();
        var client = CreateTestProbe();
        edge.Tell(GetNodes.Instance, client.Ref);
        api.ExpectMsg<GetNodes>();
        api.Reply(new NetworkSnapshot([], DateTimeOffset.UtcNow));
        client.ExpectMsg<NetworkSnapshot>();
        Assert.Equal(edge, client.LastSender);
    }

    [Fact]
    public void A_type_the_edge_does_not_route_reaches_no_node_side_actor()
    {
        var (edge, api) = StartEdge();
        edge.Tell(new AckPayloads("p", 10), CreateTestProbe().Ref);
        edge.Tell(new ToNode("0x" + new string('2', 40), new PipelineNotification("p", "x", NotificationSeverity.Info, "C", "m", DateTimeOffset.UtcNow)));
        api.ExpectNoMsg(TimeSpan.FromMilliseconds(300));
    }

    [Fact]
    public void A_subscription_is_proxied_both_ways_and_the_client_sees_the_proxy_as_its_relay()
    {
        var (edge, api) = StartEdge();
        var client = CreateTestProbe();
        var relay = CreateTestProbe();
        edge.Tell(Subscribe(), client.Ref);
        api.ExpectMsg<SignedCommand>();
        var proxy = api.LastSender;
        proxy.Tell(new PayloadSubscriptionStarted("p", relay.Ref, "0xnode"), relay.Ref);
        var started = client.ExpectMsg<PayloadSubscriptionStarted>();
        Assert.Equal(proxy, started.Relay);
        Assert.Equal(proxy, client.LastSender);
        Assert.Equal(edge.Path, proxy.Path.Parent); // what PayloadSubscriber checks: a child of the front door it asked

        proxy.Tell(new PayloadBatch("p", []), relay.Ref);
        client.ExpectMsg<PayloadBatch>();
        proxy.Tell(new AckDelivered(3), client.Ref);
        Assert.Equal(3, relay.ExpectMsg<AckDelivered>().UpTo);
        Assert.Equal(proxy, relay.LastSender);

        // Only the relay's batches pass, only the client's acknowledgements.
        proxy.Tell(new PayloadBatch("p", []), CreateTestProbe().Ref);
        proxy.Tell(new AckDelivered(99), CreateTestProbe().Ref);
        client.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
        relay.ExpectNoMsg(TimeSpan.FromMilliseconds(100));

        // The relay goes: so does the proxy, and the client sees its relay terminated.
        client.Watch(proxy);
        Sys.Stop(relay.Ref);
        client.ExpectTerminated(proxy);
    }

    [Fact]
    public void An_idle_subscription_is_closed_and_its_relay_told_to_end()
    {
        var (edge, api) = StartEdge(new EdgeSettings { ConversationIdle = TimeSpan.FromMilliseconds(300) });
        var client = CreateTestProbe();
        var relay = CreateTestProbe();
        edge.Tell(Subscribe(), client.Ref);
        api.ExpectMsg<SignedCommand>();
        api.LastSender.Tell(new PayloadSubscriptionStarted("p", relay.Ref), relay.Ref);
        client.ExpectMsg<PayloadSubscriptionStarted>();
        relay.ExpectMsg<EndSubscription>(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public void Subscriptions_beyond_the_edge_limit_are_refused_as_busy()
    {
        var (edge, api) = StartEdge(new EdgeSettings { MaxConversations = 1 });
        var first = CreateTestProbe();
        var second = CreateTestProbe();
        edge.Tell(Subscribe(), first.Ref);
        api.ExpectMsg<SignedCommand>();
        edge.Tell(Subscribe(), second.Ref);
        Assert.Equal(RejectionCodes.EdgeBusy, second.ExpectMsg<CommandRejected>().Code);

        // A refused subscription frees its place.
        api.LastSender.Tell(new CommandRejected("p", PipelineActions.Subscribe, RejectionCodes.NotOwner, "no"), api.Ref);
        Assert.Equal(RejectionCodes.NotOwner, first.ExpectMsg<CommandRejected>().Code);
        AwaitAssert(() =>
        {
            edge.Tell(Subscribe(), second.Ref);
            api.ExpectMsg<SignedCommand>(TimeSpan.FromMilliseconds(200));
        }, TimeSpan.FromSeconds(5));
    }

    [Fact]
    public void Requests_beyond_the_edge_limit_are_refused_as_busy()
    {
        var (edge, api) = StartEdge(new EdgeSettings { MaxRequests = 1 });
        var client = CreateTestProbe();
        var deploy = SignedCommand.Create(PipelineActions.Stop, "p", null, _owner, DateTimeOffset.UtcNow);
        edge.Tell(deploy, client.Ref);
        api.ExpectMsg<SignedCommand>();
        edge.Tell(deploy, client.Ref);
        Assert.Equal(RejectionCodes.EdgeBusy, client.ExpectMsg<CommandRejected>().Code);
    }
}
