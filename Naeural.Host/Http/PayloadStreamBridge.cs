using System.Text.Json.Nodes;
using System.Threading.Channels;
using Akka.Actor;
using Naeural.Actors.Commands;
using Naeural.Actors.Client;
using Naeural.Actors.Payloads;
using Naeural.Actors.Pipelines;
using Naeural.Actors.Security;

namespace Naeural.Host.Http;

/// <summary>
/// One HTTP payload subscriber's actor: sends the caller's signed <c>SUBSCRIBE_PAYLOADS</c> to <see cref="Actors.Api.NodeApi"/>
/// (which verifies it and starts a <see cref="PayloadRelay"/>), then does what <see cref="Actors.Client.PayloadSubscriber"/>
/// does for a .NET client: each payload once and in sequence order (duplicates dropped, early arrivals held until the gap
/// fills, a gap that stays open asked for again), into the response's event channel; it acknowledges to the relay only what
/// the response has written. A full channel (slow reader) holds payloads back, to be asked for again: the outbox keeps them.
/// Stops with the HTTP request; ends the stream if its relay stops (the caller resubscribes after the last id it got).
/// Like the .NET subscriber it takes batches only from its relay and writes only payloads that pass <see cref="PayloadTrust"/>
/// (signed by the node their path names and the relay vouched for, this pipeline, this sequence number); a payload that does
/// not is written as a <c>PAYLOAD_REJECTED</c> notification instead, and its number stays open for the genuine one.
/// </summary>
internal sealed class PayloadStreamBridge : ReceiveActor, IWithTimers
{
    /// <summary>Early payloads held beyond the next expected one; beyond this they are dropped and asked for again later.</summary>
    private const int MaxEarly = 4096;

    private static readonly TimeSpan AckInterval = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan GapTimeout = TimeSpan.FromSeconds(1);

    private readonly IActorRef _api;
    private readonly SignedCommand _command;
    private readonly ChannelWriter<ServerSentEvent> _events;
    private readonly TaskCompletionSource<object> _started;
    private readonly SortedDictionary<long, PayloadDelivered> _early = [];
    private readonly PayloadTrust _trust;
    private IActorRef? _relay;
    private long _delivered;
    private long _written;
    private long _acknowledged;

    public PayloadStreamBridge(IActorRef api, SignedCommand command, long after, ChannelWriter<ServerSentEvent> events,
        TaskCompletionSource<object> started, ISignatureVerifier verifier, string network)
    {
        CommandEnvelope.TryPeek(command, out var pipelineId, out _);
        _trust = new PayloadTrust(pipelineId, pipelineId[(pipelineId.IndexOf('/') + 1)..], verifier, network);
        _api = api;
        _command = command;
        _events = events;
        _started = started;
        _delivered = _written = _acknowledged = after;

        Receive<PayloadSubscriptionStarted>(s => Sender.Equals(s.Relay) && s.Relay.Path.Parent.Equals(_api.Path), s =>
        {
            if (_relay is not null)
            {
                s.Relay.Tell(EndSubscription.Instance);
                return;
            }

            _relay = s.Relay;
            _trust.TrustSigners(s.Signers);
            Context.Watch(s.Relay);
            _started.TrySetResult(s);
        });
        Receive<CommandRejected>(r => _relay is null || Sender.Equals(_relay), r =>
        {
            _started.TrySetResult(r);
            Context.Stop(Self);
        });
        Receive<PayloadBatch>(FromRelay, batch =>
        {
            foreach (var payload in batch.Payloads)
            {
                OnPayload(payload);
            }
        });
        Receive<ResendFrom>(FromRelay, OnResendFrom);
        Receive<ResendDone>(FromRelay, _ => { });
        Receive<PipelineNotification>(FromRelay, n => _events.TryWrite(new ServerSentEvent("notification", NotificationJson(n))));
        Receive<PayloadsWritten>(w =>
        {
            _written = Math.Max(_written, w.UpTo);
            DeliverContiguous(); // room again for what a full channel held back
        });
        Receive<AckTick>(_ => Acknowledge());
        Receive<KeepAliveTick>(_ => _events.TryWrite(ServerSentEvent.KeepAlive));
        Receive<GapCheck>(_ =>
        {
            DeliverContiguous();
            if (_early.Count > 0)
            {
                _relay?.Tell(new RequestResend(_delivered));
                Timers.StartSingleTimer(GapCheck.Instance, GapCheck.Instance, GapTimeout);
            }
        });
        Receive<Terminated>(t => t.ActorRef.Equals(_relay), _ =>
        {
            _relay = null;
            Context.Stop(Self);
        });
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(IActorRef api, SignedCommand command, long after, ChannelWriter<ServerSentEvent> events,
        TaskCompletionSource<object> started, ISignatureVerifier verifier, string network) =>
        Akka.Actor.Props.Create(() => new PayloadStreamBridge(api, command, after, events, started, verifier, network));

    /// <summary>AFTER_SEQUENCE of a subscription's PAYLOAD (0 when absent): where the stream starts.</summary>
    public static long AfterSequenceOf(string signedJson) =>
        JsonNode.Parse(signedJson) is JsonObject json && json[SignedCommand.PayloadField] is JsonObject payload
        && payload["AFTER_SEQUENCE"] is JsonValue value && value.TryGetValue<long>(out var after) && after > 0
            ? after
            : 0;

    protected override void PreStart()
    {
        _api.Tell(_command, Self);
        Timers.StartPeriodicTimer(AckTick.Instance, AckTick.Instance, AckInterval);
        Timers.StartPeriodicTimer(KeepAliveTick.Instance, KeepAliveTick.Instance, ServerSentEvents.KeepAliveInterval);
    }

    protected override void PostStop()
    {
        Acknowledge();
        _relay?.Tell(EndSubscription.Instance);
        _events.TryComplete();
        _started.TrySetCanceled();
    }

    private void OnPayload(PayloadDelivered payload)
    {
        if (payload.Sequence <= _delivered || _early.ContainsKey(payload.Sequence) || payload.Sequence > _delivered + MaxEarly)
        {
            return; // a duplicate, or too far ahead to hold: asked for again once the gap is closed
        }

        if (_trust.Check(payload).Error is { } error)
        {
            _events.TryWrite(new ServerSentEvent("notification", NotificationJson(new PipelineNotification(payload.PipelineId, "subscription",
                NotificationSeverity.Error, NotificationCodes.PayloadRejected, $"payload #{payload.Sequence} was not delivered: {error}",
                DateTimeOffset.UtcNow))));
            return;
        }

        _early[payload.Sequence] = payload;
        DeliverContiguous();
        if (_early.Count > 0 && !Timers.IsTimerActive(GapCheck.Instance))
        {
            Timers.StartSingleTimer(GapCheck.Instance, GapCheck.Instance, GapTimeout);
        }
    }

    private void OnResendFrom(ResendFrom from)
    {
        if (from.Floor <= _delivered)
        {
            return;
        }

        // Everything up to the floor was acknowledged earlier or evicted: the stream continues after it.
        _delivered = from.Floor;
        _written = Math.Max(_written, from.Floor);
        foreach (var stale in _early.Keys.Where(s => s <= from.Floor).ToList())
        {
            _early.Remove(stale);
        }

        DeliverContiguous();
    }

    private void DeliverContiguous()
    {
        while (_early.TryGetValue(_delivered + 1, out var next)
               && _events.TryWrite(new ServerSentEvent("payload", next.SignedJson, next.Sequence)))
        {
            _early.Remove(next.Sequence);
            _delivered = next.Sequence;
        }
    }

    private void Acknowledge()
    {
        if (_relay is not null && _written > _acknowledged)
        {
            _relay.Tell(new AckDelivered(_written));
            _acknowledged = _written;
        }
    }

    private bool FromRelay(object _) => _relay is not null && Sender.Equals(_relay);

    private static string NotificationJson(PipelineNotification n) => new JsonObject
    {
        ["PIPELINE"] = n.PipelineId,
        ["SOURCE"] = n.Source,
        ["SEVERITY"] = n.Severity.ToString().ToUpperInvariant(),
        ["CODE"] = n.Code,
        ["MESSAGE"] = n.Message,
        ["TIME"] = n.At.ToUnixTimeMilliseconds(),
    }.ToJsonString();

    private sealed record AckTick
    {
        public static AckTick Instance { get; } = new();
    }

    private sealed record KeepAliveTick
    {
        public static KeepAliveTick Instance { get; } = new();
    }

    private sealed record GapCheck
    {
        public static GapCheck Instance { get; } = new();
    }
}

/// <summary>The response has written every payload up to <see cref="UpTo"/>: the bridge may acknowledge them.</summary>
internal sealed record PayloadsWritten(long UpTo);
