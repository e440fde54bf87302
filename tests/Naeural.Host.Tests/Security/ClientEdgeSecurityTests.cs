using Akka.Actor;
using Naeural.Actors.Client;
using Naeural.Actors.Commands;
using Naeural.Actors.Jobs;
using Naeural.Actors.Payloads;
using Naeural.Actors.Security;
using Naeural.Actors.Serialization;
using Naeural.Ledger.Signing;
using Naeural.Testing;
using Xunit;

namespace Naeural.Host.Tests.Security;

/// <summary>
/// Clients are not members: a client reaches a node only through its client edge, whose serializer takes the client
/// protocol only; the member port of a TLS node admits nodes alone, whatever certificate a client holds.
/// </summary>
public sealed class ClientEdgeSecurityTests : Akka.TestKit.Xunit2.TestKit
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_client_the_node_trusts_is_answered_at_its_edge_and_refused_at_its_member_port()
    {
        using var pki = new TestCertificates();
        await using var network = await InProcessNetwork.StartAsync(1, _ => new NodeCustomization(Options: o =>
        {
            o.Secured = true;
            o.TlsCa = pki.CaPath;
        }));
        var node = network[0];
        Assert.Equal(RemotingTls.Scheme, node.EdgeAddress.Protocol);
        var options = Developer.Options with
        {
            RequestTimeout = TimeSpan.FromSeconds(3),
            Tls = RemotingTls.ForClient(TestCertificates.Load(pki.Issue("developer")), [node.NodeId], new Secp256k1Verifier()),
        };

        await using (var atEdge = NaeuralClient.Connect(node.EdgeAddress.ToString(), new Developer().Key, options with { RequestTimeout = Bound }))
        {
            Assert.Equal(node.NodeId, (await atEdge.GetNodesAsync()).Self); // answered (the view itself may still be empty)
        }

        // The same certificate at the member port: the node refuses the handshake, the front door is never reached.
        await using var atMemberPort = NaeuralClient.Connect(node.Address.ToString(), new Developer().Key, options);
        await Assert.ThrowsAsync<AskTimeoutException>(() => atMemberPort.GetNodesAsync());
    }

    [Fact]
    public async Task Member_types_sent_to_the_edge_are_refused_by_its_serializer_and_a_client_does_not_send_them()
    {
        await using var network = await InProcessNetwork.StartAsync(1);
        var node = network[0];
        var refusedAtEdge = CreateTestProbe(node.EdgeSystem);
        node.EdgeSystem.EventStream.Subscribe(refusedAtEdge.Ref, typeof(MessageRefused));
        var start = SignedCommand.Create(JobActions.Start, "job", null, new Developer().Key, DateTimeOffset.UtcNow);

        // A client whose own serializer was made to take member types: the edge's refuses them on the way in.
        await using (var forcing = NaeuralClient.Connect(node.EdgeAddress.ToString(), null, Developer.Options with { ExtraMessageTypes = KernelMessages.Member }))
        {
            forcing.Edge.Tell(new AckPayloads("0xowner/p", 1_000), ActorRefs.NoSender);
            forcing.Edge.Tell(new RunShare("job", 0, "challenge", start), ActorRefs.NoSender);
            foreach (var type in new[] { typeof(AckPayloads), typeof(RunShare) })
            {
                var refused = refusedAtEdge.ExpectMsg<MessageRefused>(Bound);
                Assert.Equal(RefusalSide.Inbound, refused.Side);
                Assert.Equal(MessageAllowList.ManifestFor(type), refused.TypeName);
            }

            Assert.Equal(node.NodeId, (await forcing.GetNodesAsync()).Self); // the association stays up: the node still answers
        }

        // An ordinary client's serializer takes the client protocol only: a member type never leaves its process.
        await using var client = NaeuralClient.Connect(node.EdgeAddress.ToString(), null, Developer.Options);
        var refusedByClient = CreateTestProbe(client.System);
        client.System.EventStream.Subscribe(refusedByClient.Ref, typeof(MessageRefused));
        client.Edge.Tell(new AckPayloads("0xowner/p", 1_000), ActorRefs.NoSender);
        Assert.Equal(RefusalSide.Outbound, refusedByClient.ExpectMsg<MessageRefused>(Bound).Side);
    }

    [Fact]
    public async Task A_subscription_through_the_edge_delivers_every_payload_and_its_proxy_ends_with_it()
    {
        await using var network = await InProcessNetwork.StartAsync(1);
        var node = network[0];
        var developer = new Developer();
        await using var client = developer.Connect(node.EdgeAddress.ToString());
        await client.DeployAsync(Specs.Sensor("edge-stream", "COUNTER", "\"EMIT_EVERY\": 1", rate: 0, source: "\"MAX_FRAMES\": 10"));
        var collector = new PayloadCollector();
        var subscription = await collector.SubscribeAsync(client, "edge-stream");
        await AwaitAssertAsync(() => Assert.True(collector.Payloads.Count(p => p.Data?["COUNT"] is not null) >= 10), Bound, TimeSpan.FromMilliseconds(100));
        Assert.All(collector.Payloads, p => Assert.True(p.Verified));
        Assert.Equal(Enumerable.Range(1, collector.Payloads.Count).Select(i => (long)i), collector.Payloads.Select(p => p.Sequence));

        Assert.True(await AnyProxyAsync(node));
        await subscription.DisposeAsync();
        await AwaitAssertAsync(async () => Assert.False(await AnyProxyAsync(node)), Bound, TimeSpan.FromMilliseconds(100));
    }

    /// <summary>Whether the edge has a subscription proxy (a child of its actor); a wildcard that matches nothing answers nothing.</summary>
    private static async Task<bool> AnyProxyAsync(InProcessNode node)
    {
        try
        {
            return (await node.EdgeSystem.ActorSelection("/user/naeural-api/*").Ask<ActorIdentity>(new Identify(null), TimeSpan.FromSeconds(1))).Subject is not null;
        }
        catch (AskTimeoutException)
        {
            return false;
        }
    }
}
