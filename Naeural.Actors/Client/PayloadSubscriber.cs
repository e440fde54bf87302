using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Akka.Actor;
using Akka.Event;
using Naeural.Actors.Commands;
using Naeural.Actors.Payloads;
using Naeural.Actors.Pipelines;
using Naeural.Actors.Security;

namespace Naeural.Actors.Client;

/// <summary>
/// The client's end of a payload subscription: subscribes with a signed request, then hands the caller each payload once
/// and in order: duplicates (at-least-once redelivery) are dropped by sequence number, early arrivals wait for the gap to
/// fill, a gap that stays open is resent, what was delivered is acknowledged, and a lost relay is resubscribed from the
/// last delivered number, so nothing is lost or repeated across reconnects. Encrypted payloads are opened with the
/// developer's key once the node's signature over the whole envelope checks out (the node's public key comes from that
/// signature); one that doesn't open is reported (<c>DECRYPTION_FAILED</c>) and counted, never delivered as garbage.
/// Every payload is verified on arrival, before it takes its place in the sequence (<see cref="PayloadTrust"/>): signed by
/// the node its path names, one the relay vouched for, for this pipeline and the sequence number it travels under; one that
/// is not is reported (<c>PAYLOAD_REJECTED</c>), counted and dropped, so the genuine one can still take its place. Batches,
/// resend floors and notifications are taken only from the relay that answered the subscription.
/// </summary>
public sealed class PayloadSubscriber : ReceiveActor, IWithTimers
{
    private readonly string _pipelineName;
    private readonly ActorSelection _api;
    private readonly IMessageSigner _signer;
    private readonly ClientOptions _options;
    private readonly Action<ReceivedPayload> _onPayload;
    private readonly Action<PipelineNotification>? _onNotification;
    private readonly TaskCompletionSource _started;
    private readonly SortedDictionary<long, (PayloadDelivered Payload, JsonObject Json, SignatureCheck Check)> _early = [];
    private readonly string _subscription = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
    private readonly PayloadTrust _trust;
    private IActorRef? _relay;
    private long _delivered;
    private long _acknowledged;
    private int _attempts;

    public PayloadSubscriber(string pipelineName, ActorSelection api, IMessageSigner signer, ClientOptions options, long after,
        Action<ReceivedPayload> onPayload, Action<PipelineNotification>? onNotification, TaskCompletionSource started)
    {
        _pipelineName = pipelineName;
        _api = api;
        _signer = signer;
        _options = options;
        _delivered = _acknowledged = after;
        _onPayload = onPayload;
        _onNotification = onNotification;
        _started = started;
        _trust = new PayloadTrust(CommandEnvelope.PipelineIdOf(signer.Address, pipelineName), pipelineName,
            SignatureVerifiers.Resolve(options.Verifier), options.NetworkId);

        Receive<PayloadSubscriptionStarted>(s => Sender.Equals(s.Relay) && IsRelayOfApi(s.Relay), s =>
        {
            if (_relay is not null && !_relay.Equals(s.Relay))
            {
                s.Relay.Tell(EndSubscription.Instance); // a retry answered after the first: one relay is enough
                return;
            }

            _relay = s.Relay;
            _trust.TrustSigners(s.Signers);
            _attempts = 0;
            Timers.Cancel(Resubscribe.Instance);
            Context.Watch(s.Relay);
            _started.TrySetResult();
        });
        Receive<CommandRejected>(r =>
        {
            if (!_started.TrySetException(new PipelineCommandException(r.Code, r.Reason)))
            {
                // A resubscription was refused (clock drift, allow-list changed): tell the caller, and keep trying.
                Notify(new PipelineNotification("", "subscription", NotificationSeverity.Error, r.Code, $"resubscription refused: {r.Reason}", DateTimeOffset.UtcNow));
            }
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
        Receive<PipelineNotification>(FromRelay, Notify);
        Receive<Terminated>(t => t.ActorRef.Equals(_relay), _ =>
        {
            _relay = null;
            Subscribe();
        });
        Receive<Resubscribe>(_ => Subscribe());
        Receive<AckTick>(_ => Acknowledge());
        Receive<GapTimeout>(_ => _relay?.Tell(new RequestResend(_delivered)));
        Receive<GetSubscriptionState>(_ => Sender.Tell(new SubscriptionState(_delivered, Duplicates, Undecryptable, Rejected)));
        ReceiveAny(m => Context.GetLogger().Warning("Subscription to {Pipeline} ignored {MessageType} from {Sender}: not its relay",
            _pipelineName, m.GetType().Name, Sender.Path));
    }

    public ITimerScheduler Timers { get; set; } = null!;

    /// <summary>Payloads dropped because they had already been delivered.</summary>
    public long Duplicates { get; private set; }

    /// <summary>Encrypted payloads that did not open with this client's key: reported and skipped.</summary>
    public long Undecryptable { get; private set; }

    /// <summary>Payloads that failed their checks on arrival (signature, signer, pipeline, sequence): reported and dropped.</summary>
    public long Rejected { get; private set; }

    public static Props Props(string pipelineName, ActorSelection api, IMessageSigner signer, ClientOptions options, long after,
        Action<ReceivedPayload> onPayload, Action<PipelineNotification>? onNotification, TaskCompletionSource started) =>
        Akka.Actor.Props.Create(() => new PayloadSubscriber(pipelineName, api, signer, options, after, onPayload, onNotification, started));

    protected override void PreStart()
    {
        Subscribe();
        Timers.StartPeriodicTimer(AckTick.Instance, AckTick.Instance, _options.AckInterval);
    }

    protected override void PostStop()
    {
        Acknowledge();
        _relay?.Tell(EndSubscription.Instance);
    }

    /// <summary>Asks for a relay, and asks again with back-off (3 s to 30 s) until one answers: nodes restart, links drop.</summary>
    private void Subscribe()
    {
        var payload = new JsonObject
        {
            [SubscriptionCursors.AfterField] = _delivered,
            [SubscriptionCursors.SubscriptionField] = _subscription,
        };
        _api.Tell(SignedCommand.Create(PipelineActions.Subscribe, _pipelineName, payload, _signer, DateTimeOffset.UtcNow, network: _options.NetworkId), Self);
        var backoff = TimeSpan.FromSeconds(Math.Min(30, 3 * Math.Pow(2, _attempts++)));
        Timers.StartSingleTimer(Resubscribe.Instance, Resubscribe.Instance, backoff);
    }

    /// <summary>The caller's callbacks must not break delivery: a throwing callback is logged and delivery goes on.</summary>
    private void Deliver(ReceivedPayload payload)
    {
        try
        {
            _onPayload(payload);
        }
        catch (Exception e)
        {
            Context.GetLogger().Error(e, "Payload callback failed for #{Sequence} of {PipelineId}", payload.Sequence, payload.PipelineId);
        }
    }

    private void Notify(PipelineNotification notification)
    {
        try
        {
            _onNotification?.Invoke(notification);
        }
        catch (Exception e)
        {
            Context.GetLogger().Error(e, "Notification callback failed");
        }
    }

    private void OnPayload(PayloadDelivered payload)
    {
        if (payload.Sequence <= _delivered || _early.ContainsKey(payload.Sequence))
        {
            Duplicates++;
            return;
        }

        // Checked before it takes its place: a forged payload must not occupy the number the genuine one needs.
        var (json, check, error) = _trust.Check(payload);
        if (error is not null)
        {
            Rejected++;
            Notify(new PipelineNotification(payload.PipelineId, "subscription", NotificationSeverity.Error, NotificationCodes.PayloadRejected,
                $"payload #{payload.Sequence} was not delivered: {error}", DateTimeOffset.UtcNow));
            return;
        }

        _early[payload.Sequence] = (payload, json!, check!);
        DeliverContiguous();

        if (_early.Count > 0)
        {
            if (!Timers.IsTimerActive(GapTimeout.Instance))
            {
                Timers.StartSingleTimer(GapTimeout.Instance, GapTimeout.Instance, _options.GapTimeout);
            }
        }
        else
        {
            Timers.Cancel(GapTimeout.Instance);
        }
    }

    private void OnResendFrom(ResendFrom from)
    {
        if (from.Floor <= _delivered)
        {
            return;
        }

        // Everything up to the floor was acknowledged (by an earlier subscription) or evicted: continue after it.
        _delivered = from.Floor;
        foreach (var stale in _early.Keys.Where(s => s <= from.Floor).ToList())
        {
            _early.Remove(stale);
        }

        DeliverContiguous();
    }

    private void DeliverContiguous()
    {
        while (_early.Remove(_delivered + 1, out var next))
        {
            _delivered = next.Payload.Sequence;
            if (Receive(next.Payload, next.Json, next.Check) is { } received)
            {
                Deliver(received);
            }
        }
    }

    /// <summary>The payload as the caller gets it, or null (reported) when it came encrypted and does not open.</summary>
    private ReceivedPayload? Receive(PayloadDelivered payload, JsonObject json, SignatureCheck check)
    {
        var received = new ReceivedPayload(payload.PipelineId, payload.Sequence, json, check.Signer, check.IsValid);
        if (!PayloadFormat.IsEncrypted(json))
        {
            return received;
        }

        var error = TryDecrypt(json, check, out var data);
        if (error is null)
        {
            return received with { Decrypted = true, DecryptedData = data };
        }

        Undecryptable++;
        Notify(new PipelineNotification(payload.PipelineId, "subscription", NotificationSeverity.Error, NotificationCodes.DecryptionFailed,
            $"payload #{payload.Sequence} was not delivered: {error}", DateTimeOffset.UtcNow));
        return null;
    }

    private string? TryDecrypt(JsonObject json, SignatureCheck check, out JsonNode? data)
    {
        data = null;
        var cipher = _options.Decryptor ?? _signer as IPayloadCipher;
        if (cipher is null)
        {
            return "it is encrypted and this client has no key that opens payloads (ClientOptions.Decryptor)";
        }

        if (!check.IsValid || check.SignerPublicKey is null)
        {
            return $"its signature does not check out ({check.Error ?? "the verifier recovers no public key"}), so it was not decrypted";
        }

        var destination = json[PayloadFormat.DestinationField] is JsonValue d && d.TryGetValue<string>(out var to) ? to : null;
        if (_options.Decryptor is null && destination is not null && !AccountAddress.Same(destination, _signer.Address))
        {
            return $"it is encrypted for {destination}, not for this client's key {_signer.Address}";
        }

        if (json[PayloadFormat.EncryptedDataField] is not JsonValue value || !value.TryGetValue<string>(out var base64))
        {
            return $"it is marked encrypted but has no {PayloadFormat.EncryptedDataField}";
        }

        try
        {
            var plaintext = cipher.Open(Convert.FromHexString(check.SignerPublicKey.AsSpan(2)), Convert.FromBase64String(base64),
                PayloadFormat.AssociatedData(json));
            data = JsonNode.Parse(plaintext);
            return null;
        }
        catch (Exception e) when (e is CryptographicException or FormatException or JsonException)
        {
            return $"it does not open with this client's key: {e.Message}";
        }
    }

    private void Acknowledge()
    {
        if (_relay is not null && _delivered > _acknowledged)
        {
            _relay.Tell(new AckDelivered(_delivered));
            _acknowledged = _delivered;
        }
    }

    private bool FromRelay(object _) => _relay is not null && Sender.Equals(_relay);

    /// <summary>A relay is a child of the front door this subscriber asked (or, in tests, that front door itself).</summary>
    private bool IsRelayOfApi(IActorRef relay)
    {
        var anchor = _api.Anchor.Path.Address;
        if (!relay.Path.Address.Equals(anchor) && !(relay.Path.Address.HasLocalScope && anchor.HasLocalScope))
        {
            return false;
        }

        var api = "/" + _api.PathString.Trim('/');
        return "/" + string.Join("/", relay.Path.Elements) == api || "/" + string.Join("/", relay.Path.Parent.Elements) == api;
    }

    private sealed record Resubscribe
    {
        public static Resubscribe Instance { get; } = new();
    }

    private sealed record AckTick
    {
        public static AckTick Instance { get; } = new();
    }

    private sealed record GapTimeout
    {
        public static GapTimeout Instance { get; } = new();
    }
}

/// <summary>Asks a subscriber how far it got.</summary>
public sealed record GetSubscriptionState
{
    public static GetSubscriptionState Instance { get; } = new();
}

/// <summary>The last sequence number delivered to the caller, how many duplicates were dropped, how many encrypted payloads did not open, and how many were refused.</summary>
/// <param name="Rejected">Payloads that failed their checks on arrival (bad or missing signature, wrong signer, pipeline or sequence number).</param>
public sealed record SubscriptionState(long LastDelivered, long Duplicates, long Undecryptable = 0, long Rejected = 0);
