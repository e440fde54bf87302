using Akka.Actor;
using Akka.Cluster;
using Naeural.Actors.Api;
using Naeural.Actors.Network;
using Naeural.Actors.Serialization;
using Naeural.Testing;
using Xunit;

namespace Naeural.Actors.Tests.Serialization;

/// <summary>A message type that no node's allow-list names.</summary>
public sealed record UnlistedMessage(string Text);

/// <summary>A message type only the sending node allows in the inbound test.</summary>
[WireName("tests.sender-only")]
public sealed record SenderOnlyMessage(string Text);

/// <summary>Forwards whatever reaches it to a probe on its own node.</summary>
public sealed class ForwardToProbe : ReceiveActor
{
    public const string Name = "inbox";

    public ForwardToProbe(IActorRef probe) => ReceiveAny(probe.Forward);
}

public sealed class AllowListRefusalTests : Akka.TestKit.Xunit2.TestKit
{
    [Fact]
    public async Task An_outbound_message_of_an_unlisted_type_is_refused_reported_to_the_sender_and_the_cluster_keeps_working()
    {
        await using var network = await InProcessNetwork.StartAsync(2);
        var sender = network[0];
        var receiverInbox = CreateTestProbe(network[1].System);
        network[1].System.ActorOf(Props.Create(() => new ForwardToProbe(receiverInbox.Ref)), ForwardToProbe.Name);
        var refusals = CreateTestProbe(sender.System);
        sender.System.EventStream.Subscribe(refusals.Ref, typeof(MessageRefused));

        sender.System.ActorSelection(new RootActorPath(network[1].Address) / "user" / ForwardToProbe.Name)
            .Tell(new UnlistedMessage("not on the list"));

        var refused = refusals.ExpectMsg<MessageRefused>(TimeSpan.FromSeconds(10));
        Assert.Equal(RefusalSide.Outbound, refused.Side);
        Assert.Equal(typeof(UnlistedMessage).FullName, refused.TypeName);
        Assert.Contains("allow-list", refused.Reason);
        await AssertClusterStillWorks(network);
        receiverInbox.ExpectNoMsg(TimeSpan.FromMilliseconds(300));
    }

    [Fact]
    public async Task An_inbound_message_of_a_type_the_receiver_does_not_allow_is_refused_and_logged_and_the_cluster_keeps_working()
    {
        await using var network = await InProcessNetwork.StartAsync(2, i => new NodeCustomization(
            ExtraMessageTypes: i == 0 ? [typeof(SenderOnlyMessage)] : []));
        var receiverInbox = CreateTestProbe(network[1].System);
        network[1].System.ActorOf(Props.Create(() => new ForwardToProbe(receiverInbox.Ref)), ForwardToProbe.Name);
        var refusals = CreateTestProbe(network[1].System);
        network[1].System.EventStream.Subscribe(refusals.Ref, typeof(MessageRefused));

        network[0].System.ActorSelection(new RootActorPath(network[1].Address) / "user" / ForwardToProbe.Name)
            .Tell(new SenderOnlyMessage("the receiver never agreed to this type"));

        var refused = refusals.ExpectMsg<MessageRefused>(TimeSpan.FromSeconds(10));
        Assert.Equal(RefusalSide.Inbound, refused.Side);
        Assert.Equal("tests.sender-only", refused.TypeName); // the wire name the sender wrote
        receiverInbox.ExpectNoMsg(TimeSpan.FromMilliseconds(300));
        await AssertClusterStillWorks(network);
    }

    private async Task AssertClusterStillWorks(InProcessNetwork network)
    {
        // Allowed traffic still flows both ways, and neither member marked the other unreachable.
        foreach (var (from, to) in new[] { (network[0], network[1]), (network[1], network[0]) })
        {
            await AwaitAssertAsync(async () =>
            {
                var view = await from.System.ActorSelection(new RootActorPath(to.Address) / "user" / NodeApi.Name)
                    .Ask<NetworkSnapshot>(GetNodes.Instance, TimeSpan.FromSeconds(5));
                Assert.Equal(2, view.Nodes.Length);
            }, TimeSpan.FromSeconds(20), TimeSpan.FromMilliseconds(200));
        }

        foreach (var node in network.Nodes)
        {
            var state = Cluster.Get(node.System).State;
            Assert.Equal(2, state.Members.Count(m => m.Status == MemberStatus.Up));
            Assert.Empty(state.Unreachable);
        }
    }
}
