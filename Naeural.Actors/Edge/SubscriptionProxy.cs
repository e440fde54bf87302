using Akka.Actor;
using Naeural.Actors.Commands;
using Naeural.Actors.Payloads;
using Naeural.Actors.Pipelines;

namespace Naeural.Actors.Edge;

/// <summary>
/// One payload subscription through the client edge, a child of <see cref="ClientEdge"/>: to the node it is the subscriber
/// (it brings the owner's signed subscribe to the front door, which starts a <see cref="PayloadRelay"/> for it); to the client
/// it is the relay (<see cref="PayloadSubscriptionStarted"/> names this proxy, never the node's relay). It passes batches,
/// resend floors and notifications from the relay to the client, and the client's acknowledgements, resend requests and
/// end to the relay. Node-side messages count only from in-process senders, client ones only from the client that
/// subscribed. Stops when either side stops, when the subscribe is refused, or when nothing passed for
/// <see cref="EdgeSettings.ConversationIdle"/>; the relay is told to end with it.
/// </summary>
public sealed class SubscriptionProxy : ReceiveActor
{
    private readonly IActorRef _client;
    private readonly IActorRef _api;
    private readonly SignedCommand _subscribe;
    private IActorRef? _relay;

    public SubscriptionProxy(IActorRef client, IActorRef api, SignedCommand subscribe, EdgeSettings settings)
    {
        _client = client;
        _api = api;
        _subscribe = subscribe;
        Context.SetReceiveTimeout(settings.ConversationIdle);

        Receive<PayloadSubscriptionStarted>(s => _relay is null && FromNode() && Sender.Equals(s.Relay), started =>
        {
            _relay = Sender;
            Context.Watch(_relay);
            _client.Tell(started with { Relay = Self }, Self);
        });
        Receive<CommandRejected>(_ => FromNode(), rejected =>
        {
            _client.Tell(rejected, Self);
            Context.Stop(Self);
        });
        Receive<PayloadBatch>(_ => FromRelay(), batch => _client.Tell(batch, Self));
        Receive<ResendFrom>(_ => FromRelay(), from => _client.Tell(from, Self));
        Receive<ResendDone>(_ => FromRelay(), done => _client.Tell(done, Self));
        Receive<PipelineNotification>(_ => FromRelay(), notification => _client.Tell(notification, Self));
        Receive<AckDelivered>(_ => FromClient(), ack => _relay?.Tell(ack, Self));
        Receive<RequestResend>(_ => FromClient(), resend => _relay?.Tell(resend, Self));
        Receive<EndSubscription>(_ => FromClient(), _ => Context.Stop(Self));
        Receive<Terminated>(_ => Context.Stop(Self));
        Receive<ReceiveTimeout>(_ => Context.Stop(Self));
    }

    public static Props Props(IActorRef client, IActorRef api, SignedCommand subscribe, EdgeSettings settings) =>
        Akka.Actor.Props.Create(() => new SubscriptionProxy(client, api, subscribe, settings));

    protected override void PreStart()
    {
        Context.Watch(_client);
        _api.Tell(_subscribe, Self);
    }

    protected override void PostStop() => _relay?.Tell(EndSubscription.Instance, Self);

    /// <summary>From the node's own actors: in this process (a client's messages come through the edge's remoting, never from a local actor).</summary>
    private bool FromNode() => Sender is IActorRefScope { IsLocal: true } && !Sender.IsNobody();

    private bool FromRelay() => _relay is not null && Sender.Equals(_relay);

    private bool FromClient() => Sender.Equals(_client);
}
