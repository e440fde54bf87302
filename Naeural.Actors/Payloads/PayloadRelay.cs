using System.Collections.Immutable;
using Akka.Actor;
using Akka.Cluster.Sharding;
using Akka.Cluster.Tools.PublishSubscribe;
using Naeural.Actors.Commands;
using Naeural.Actors.Pipelines;
using Naeural.Actors.Serialization;

namespace Naeural.Actors.Payloads;

/// <summary>
/// One verified subscription, on the node the subscriber talks to: joins the pipeline's topic, brings the owner's signed
/// subscribe to the outbox (through the pipeline's shard region), which verifies it again and binds this relay to the
/// subscription's cursor. From then on it forwards to the subscriber what that outbox sends (resends) and what the topic
/// carries from it (live payloads; batches published by anyone else are dropped), and forwards the subscriber's
/// acknowledgements and resend requests to the outbox, which answers only its bound relays. Stops when the subscriber goes
/// away or unsubscribes, when the outbox stops (the pipeline moved: the subscriber subscribes again), or when the outbox
/// refuses it; the subscriber then hears why.
/// </summary>
public sealed class PayloadRelay : ReceiveActor, IWithTimers
{
    /// <summary>
    /// The topic subscription reaches other nodes' mediators by gossip: payloads published meanwhile are neither live nor in
    /// the first resend, so a second resend follows once the subscription has spread.
    /// </summary>
    private static readonly TimeSpan SecondResendAfter = TimeSpan.FromSeconds(3);

    private readonly string _pipelineId;
    private readonly SignedCommand _subscribe;
    private readonly IActorRef _subscriber;
    private readonly long _after;
    private readonly IActorRef _mediator;
    private readonly IActorRef _pipelines;
    private IActorRef? _outbox;

    public PayloadRelay(string pipelineId, SignedCommand subscribe, IActorRef subscriber, long after)
    {
        _pipelineId = pipelineId;
        _subscribe = subscribe;
        _subscriber = subscriber;
        _after = after;
        _mediator = DistributedPubSub.Get(Context.System).Mediator;
        _pipelines = ClusterSharding.Get(Context.System).ShardRegion(PipelineEntity.TypeName);

        Receive<SubscribeAck>(_ => _pipelines.Tell(new OpenPayloadSubscription(_pipelineId, _subscribe)));
        Receive<PayloadSubscriptionAccepted>(_ => _outbox is null, accepted =>
        {
            _outbox = Sender;
            Context.Watch(_outbox);
            _subscriber.Tell(new PayloadSubscriptionStarted(_pipelineId, Self, accepted.NodeId, accepted.Signers));
            Timers.StartSingleTimer(SecondResend.Instance, SecondResend.Instance, SecondResendAfter);
        });
        Receive<PayloadSubscriptionRefused>(r => _outbox is null || FromOutbox(r), refused =>
        {
            _subscriber.Tell(new CommandRejected(_pipelineId, PipelineActions.Subscribe, refused.Code, refused.Reason));
            Context.Stop(Self);
        });
        Receive<SecondResend>(_ => _pipelines.Tell(new ResendPayloads(_pipelineId, _after)));
        Receive<PayloadBatch>(FromOutbox, p => _subscriber.Tell(p));
        Receive<ResendFrom>(FromOutbox, r => _subscriber.Tell(r));
        Receive<ResendDone>(FromOutbox, r => _subscriber.Tell(r));
        Receive<PipelineNotification>(n => _subscriber.Tell(n));
        Receive<AckDelivered>(FromSubscriber, ack => _pipelines.Tell(new AckPayloads(_pipelineId, ack.UpTo)));
        Receive<RequestResend>(FromSubscriber, r => _pipelines.Tell(new ResendPayloads(_pipelineId, r.After)));
        Receive<EndSubscription>(FromSubscriber, _ => Context.Stop(Self));
        Receive<Terminated>(t => t.ActorRef.Equals(_subscriber) || t.ActorRef.Equals(_outbox), _ => Context.Stop(Self));
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(string pipelineId, SignedCommand subscribe, IActorRef subscriber, long after) =>
        Akka.Actor.Props.Create(() => new PayloadRelay(pipelineId, subscribe, subscriber, after));

    protected override void PreStart()
    {
        Context.Watch(_subscriber);
        _mediator.Tell(new Subscribe(PayloadTopics.For(_pipelineId), Self));
    }

    protected override void PostStop() => _mediator.Tell(new Unsubscribe(PayloadTopics.For(_pipelineId), Self));

    /// <summary>Payloads and resends count only from the outbox that accepted this subscription (live payloads come through the topic with their publisher as sender).</summary>
    private bool FromOutbox(object _) => _outbox is not null && Sender.Equals(_outbox);

    private bool FromSubscriber(object _) => Sender.Equals(_subscriber);

    private sealed record SecondResend
    {
        public static SecondResend Instance { get; } = new();
    }
}

/// <summary>
/// From a relay to its subscriber: the subscription is live; acknowledge and ask for resends through <see cref="Relay"/>,
/// and take payloads only from it. <see cref="Signers"/>: the nodes whose signatures this pipeline's payloads may carry
/// (the host <see cref="NodeId"/>, and former hosts whose payloads it still keeps); empty: any node named in the payload's path.
/// </summary>
[WireName("payloads.payload-subscription-started")]
public sealed record PayloadSubscriptionStarted(string PipelineId, IActorRef Relay, string NodeId = "", ImmutableArray<string> Signers = default);

/// <summary>
/// From a subscriber to its relay: it has everything up to <see cref="UpTo"/> (the relay acknowledges it to the outbox as
/// <see cref="AckPayloads"/>, a member type no client sends).
/// </summary>
[WireName("payloads.ack-delivered")]
public sealed record AckDelivered(long UpTo);

/// <summary>A subscriber saw a gap: resend everything after <see cref="After"/>.</summary>
[WireName("payloads.request-resend")]
public sealed record RequestResend(long After);

/// <summary>The subscriber is done: stop relaying.</summary>
[WireName("payloads.end-subscription")]
public sealed record EndSubscription
{
    public static EndSubscription Instance { get; } = new();
}
