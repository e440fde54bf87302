using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Text.Json.Nodes;
using Akka.Actor;
using Akka.TestKit;
using Naeural.Actors.Client;
using Naeural.Actors.Commands;
using Naeural.Actors.Payloads;
using Naeural.Actors.Pipelines;
using Naeural.Actors.Security;
using Naeural.Ledger.Identity;
using Xunit;

namespace Naeural.Actors.Tests.Security;

/// <summary>
/// A client's subscriber against forged deliveries: it delivers only payloads signed by the node named in their path, for
/// the pipeline and sequence number it subscribed to, and takes batches only from the relay that answered its subscription.
/// Verification is on by default: these clients set no verifier.
/// </summary>
public sealed class PayloadSubscriberTrustTests : Akka.TestKit.Xunit2.TestKit
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(5);
    private readonly NodeKey _owner = NodeKey.Generate();
    private readonly NodeKey _host = NodeKey.Generate();
    private readonly ConcurrentQueue<ReceivedPayload> _delivered = new();
    private readonly ConcurrentQueue<PipelineNotification> _notifications = new();
    private readonly TestProbe _relay;
    private readonly IActorRef _subscriber;

    public PayloadSubscriberTrustTests()
    {
        _relay = CreateTestProbe();
        var started = new TaskCompletionSource();
        _subscriber = Sys.ActorOf(PayloadSubscriber.Props("feed", Sys.ActorSelection(_relay.Ref.Path), _owner,
            new ClientOptions { AckInterval = TimeSpan.FromMinutes(1), GapTimeout = TimeSpan.FromMinutes(1) }, 0,
            _delivered.Enqueue, _notifications.Enqueue, started));
        _relay.ExpectMsg<SignedCommand>();
        _subscriber.Tell(new PayloadSubscriptionStarted(PipelineId, _relay.Ref), _relay.Ref);
    }

    private string PipelineId => $"{_owner.Address.ToLowerInvariant()}/feed";

    [Fact]
    public void An_unsigned_payload_is_not_delivered_and_is_reported_while_the_genuine_one_still_is()
    {
        var genuine = Payload(1, _host);
        var unsigned = JsonNode.Parse(genuine.SignedJson)!.AsObject();
        unsigned.Remove("EE_SIGN");
        unsigned["DATA"] = new JsonObject { ["forged"] = true };

        FromRelay(genuine with { SignedJson = unsigned.ToJsonString() }, genuine, Payload(2, _host));

        AssertDelivered(1, 2);
        Assert.All(_delivered, p => Assert.True(p.Verified && p.Data?["forged"] is null));
        Assert.Contains(_notifications, n => n.Severity == NotificationSeverity.Error && n.Message.Contains("#1"));
    }

    [Fact]
    public void A_payload_whose_signature_does_not_match_its_content_is_not_delivered()
    {
        var genuine = Payload(1, _host);
        var tampered = JsonNode.Parse(genuine.SignedJson)!.AsObject();
        tampered["DATA"] = new JsonObject { ["forged"] = true };

        FromRelay(genuine with { SignedJson = tampered.ToJsonString() }, genuine);

        AssertDelivered(1);
        Assert.Null(_delivered.Single().Data?["forged"]);
    }

    [Fact]
    public void A_payload_signed_by_another_node_than_the_one_its_path_names_is_not_delivered()
    {
        var impostor = NodeKey.Generate();
        FromRelay(Payload(1, _host, signer: impostor), Payload(1, _host));

        AssertDelivered(1);
        Assert.Equal(_host.Address, _delivered.Single().Signer, StringComparer.OrdinalIgnoreCase);
    }

    [Fact]
    public void A_payload_of_another_pipeline_or_moved_to_another_sequence_number_is_not_delivered()
    {
        var other = Payload(1, _host, pipelineName: "other");
        var moved = Payload(5, _host) with { Sequence = 1 };
        FromRelay(other with { PipelineId = PipelineId }, moved, Payload(1, _host));

        AssertDelivered(1);
        var delivered = _delivered.Single();
        Assert.Equal("feed", delivered.Path[1]);
        Assert.Equal(1, delivered.Json[PayloadFormat.SequenceField]!.GetValue<long>());
    }

    [Fact]
    public void A_payload_its_host_signed_for_another_network_is_not_delivered_and_is_reported_as_such()
    {
        FromRelay(Payload(1, _host, network: "naeural-testnet"), Payload(1, _host));

        AssertDelivered(1);
        Assert.Equal(NetworkIds.Default, _delivered.Single().Json[SignedDomain.NetworkField]!.GetValue<string>());
        Assert.Contains(_notifications, n => n.Message.Contains(SignedDomain.WrongNetwork) && n.Message.Contains("naeural-testnet"));
    }

    [Fact]
    public void An_object_its_host_signed_as_another_type_is_not_delivered_as_a_payload()
    {
        // The same fields, signed by the same node, but as another kind of object (say, a receipt it issued).
        var other = JsonNode.Parse(Payload(1, _host).SignedJson)!.AsObject();
        other[SignedDomain.TypeField] = NetworkIds.WorkReceiptType;
        var replayed = new PayloadDelivered(PipelineId, 1, SignedJson.Sign(other, _host).ToJsonString());

        FromRelay(replayed, Payload(1, _host));

        AssertDelivered(1);
        Assert.Equal(NetworkIds.PayloadType, _delivered.Single().Json[SignedDomain.TypeField]!.GetValue<string>());
        Assert.Contains(_notifications, n => n.Message.Contains(SignedDomain.WrongType));
    }

    [Fact]
    public void A_batch_from_anyone_but_its_relay_is_ignored()
    {
        var stranger = CreateTestProbe();
        _subscriber.Tell(new PayloadBatch(PipelineId, [Payload(1, _host)]), stranger.Ref);
        _subscriber.Tell(new ResendFrom(PipelineId, 1_000), stranger.Ref);
        FromRelay(Payload(1, _host), Payload(2, _host));

        AssertDelivered(1, 2);
    }

    private void FromRelay(params PayloadDelivered[] payloads)
    {
        foreach (var payload in payloads)
        {
            _subscriber.Tell(new PayloadBatch(PipelineId, [payload]), _relay.Ref);
        }
    }

    private void AssertDelivered(params long[] sequences)
    {
        // The state query is answered after every batch sent before it.
        var state = _subscriber.Ask<SubscriptionState>(GetSubscriptionState.Instance, Bound).Result;
        Assert.Equal(sequences.Length == 0 ? 0 : sequences[^1], state.LastDelivered);
        Assert.Equal(sequences, _delivered.Select(p => p.Sequence));
    }

    private PayloadDelivered Payload(long sequence, NodeKey host, NodeKey? signer = null, string pipelineName = "feed", string network = NetworkIds.Default)
    {
        var pending = new PendingPayload("PASS_THROUGH", "main", new JsonObject { ["value"] = sequence }.ToJsonString(), DateTimeOffset.UtcNow);
        return new PayloadDelivered($"{_owner.Address.ToLowerInvariant()}/{pipelineName}", sequence,
            PayloadFormat.Build(host.Address, pipelineName, pending, sequence, signer ?? host, network));
    }
}
