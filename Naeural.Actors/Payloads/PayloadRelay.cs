using Akka.Actor;
using Akka.Cluster.Sharding;
using Akka.Cluster.Tools.PublishSubscribe;
using Naeural.Actors.Pipelines;

namespace Naeural.Actors.Payloads;

/// <summary>
/// One verified subscription, on the node the subscriber talks to: joins the pipeline's topic, has the outbox resend what
/// the subscriber missed (through the pipeline entity, which owns the outbox), forwards payloads and notifications to it, and forwards its acknowledgements to the outbox (only a
/// verified subscriber's relay can acknowledge). Stops when the subscriber goes away or unsubscribes.
/// </summary>
public sealed class PayloadRelay : ReceiveActor, IWithTimers
{
    /// <summary>
    /// The topic subscription reaches other nodes' mediators by gossip: payloads published meanwhile are neither live nor in
    /// the first resend, so a second resend follows once the subscription has spread.
    /// </summary>
    private static readonly TimeSpan SecondResendAfter = TimeSpan.FromSeconds(3);

    private readonly string _pipelineId;
    private readonly IActorRef _subscriber;
    private readonly long _after;
    private readonly IActorRef _mediator;
    private readonly IActorRef _pipelines;

    public PayloadRelay(string pipelineId, IActorRef subscriber, long after)
    {
        _pipelineId = pipelineId;
        _subscriber = subscriber;
        _after = after;
        _mediator = DistributedPubSub.Get(Context.System).Mediator;
        _pipelines = ClusterSharding.Get(Context.System).ShardRegion(PipelineEntity.TypeName);

        Receive<SubscribeAck>(_ =>
        {
            _subscriber.Tell(new PayloadSubscriptionStarted(_pipelineId, Self));
            _pipelines.Tell(new ResendPayloads(_pipelineId, _after, _subscriber));
            Timers.StartSingleTimer(SecondResend.Instance, SecondResend.Instance, SecondResendAfter);
        });
        Receive<SecondResend>(_ => _pipelines.Tell(new ResendPayloads(_pipelineId, _after, _subscriber)));
        Receive<PayloadBatch>(p => _subscriber.Tell(p));
        Receive<PipelineNotification>(n => _subscriber.Tell(n));
        Receive<AckPayloads>(ack => _pipelines.Tell(ack with { PipelineId = _pipelineId }));
        Receive<RequestResend>(r => _pipelines.Tell(new ResendPayloads(_pipelineId, r.After, _subscriber)));
        Receive<EndSubscription>(_ => Context.Stop(Self));
        Receive<Terminated>(t => t.ActorRef.Equals(_subscriber), _ => Context.Stop(Self));
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(string pipelineId, IActorRef subscriber, long after) =>
        Akka.Actor.Props.Create(() => new PayloadRelay(pipelineId, subscriber, after));

    protected override void PreStart()
    {
        Context.Watch(_subscriber);
        _mediator.Tell(new Subscribe(PayloadTopics.For(_pipelineId), Self));
    }

    protected override void PostStop() => _mediator.Tell(new Unsubscribe(PayloadTopics.For(_pipelineId), Self));

    private sealed record SecondResend
    {
        public static SecondResend Instance { get; } = new();
    }
}

/// <summary>The subscription is live: acknowledge and ask for resends through <see cref="Relay"/>.</summary>
public sealed record PayloadSubscriptionStarted(string PipelineId, IActorRef Relay);

/// <summary>A subscriber saw a gap: resend everything after <see cref="After"/>.</summary>
public sealed record RequestResend(long After);

/// <summary>The subscriber is done: stop relaying.</summary>
public sealed record EndSubscription
{
    public static EndSubscription Instance { get; } = new();
}
