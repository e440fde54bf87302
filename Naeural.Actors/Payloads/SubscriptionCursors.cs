using System.Collections.Immutable;
using System.Text.Json.Nodes;
using Naeural.Actors.Commands;
using Naeural.Actors.Security;

namespace Naeural.Actors.Payloads;

/// <summary>
/// An outbox's acknowledgement cursors, one per owner-signed subscription, and the floor they let it forget up to: a payload
/// is forgotten only when every subscription's cursor has passed it. With no subscription at all nothing more is forgotten
/// (the outbox's bounded eviction still applies). Plain state, changed only by the outbox's events.
/// </summary>
public sealed class SubscriptionCursors
{
    /// <summary>The field of a subscribe's <c>PAYLOAD</c> that names the subscription (kept across resubscriptions).</summary>
    public const string SubscriptionField = "SUBSCRIPTION";

    /// <summary>The field of a subscribe's <c>PAYLOAD</c> that says what the subscriber already has.</summary>
    public const string AfterField = "AFTER_SEQUENCE";

    private readonly Dictionary<string, long> _cursors = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _spentNonces = new(StringComparer.Ordinal);

    /// <summary>Everything up to here may be forgotten (it never goes back).</summary>
    public long Floor { get; private set; }

    public IReadOnlyDictionary<string, long> Cursors => _cursors;

    public int Count => _cursors.Count;

    public bool Contains(string subscription) => _cursors.ContainsKey(subscription);

    /// <summary>
    /// Checks a subscribe for the outbox of <paramref name="pipelineId"/>: signed, fresh, a <c>SUBSCRIBE_PAYLOADS</c> for this
    /// pipeline, by its owner, with a nonce not spent here. Throws <see cref="CommandRejectedException"/> saying why not.
    /// </summary>
    public (string Subscription, long After, string Nonce, long TimeMs) Admit(SignedCommand subscribe, string pipelineId,
        ISignatureVerifier verifier, string network, DateTimeOffset now, TimeSpan freshness, int maxBytes)
    {
        var envelope = CommandEnvelope.Open(subscribe, verifier, network, now, freshness, maxBytes);
        if (envelope.Action != PipelineActions.Subscribe)
        {
            throw new CommandRejectedException(RejectionCodes.UnknownAction, $"{SignedCommand.ActionField} must be {PipelineActions.Subscribe}");
        }

        if (envelope.PipelineId != pipelineId)
        {
            throw new CommandRejectedException(RejectionCodes.Malformed, $"the subscribe is for {envelope.PipelineId}, not {pipelineId}");
        }

        if (!AccountAddress.Same(envelope.Signer, envelope.Owner))
        {
            throw new CommandRejectedException(RejectionCodes.NotOwner, $"only {envelope.Owner} may subscribe to its pipelines' payloads");
        }

        if (_spentNonces.ContainsKey(envelope.Nonce))
        {
            throw new CommandRejectedException(RejectionCodes.Replayed, $"{SignedCommand.NonceField} {envelope.Nonce} was already used");
        }

        var payload = envelope.Payload as JsonObject;
        var after = payload?[AfterField] is JsonValue a && a.TryGetValue<long>(out var n) && n > 0 ? n : 0;
        var subscription = payload?[SubscriptionField] is JsonValue s && s.TryGetValue<string>(out var id) ? id : envelope.Nonce;
        if (subscription.Length is < 8 or > 128)
        {
            throw new CommandRejectedException(RejectionCodes.Malformed, $"{SignedCommand.PayloadField}.{SubscriptionField} must be 8-128 characters");
        }

        return (subscription, after, envelope.Nonce, envelope.TimeMs);
    }

    /// <summary>Applies an opened subscription: its cursor starts at <paramref name="after"/> (never behind where it was).</summary>
    public void Open(PayloadSubscriptionOpened e, long lastSequence, TimeSpan freshness)
    {
        _spentNonces[e.Nonce] = e.TimeMs;
        var start = Math.Clamp(e.After, 0, lastSequence);
        _cursors[e.Subscription] = _cursors.TryGetValue(e.Subscription, out var at) ? Math.Max(at, start) : start;
        ForgetNoncesOlderThan(e.TimeMs - 2 * (long)freshness.TotalMilliseconds);
        Advance();
    }

    /// <summary>Applies one subscription's acknowledgement (an unknown subscription changes nothing).</summary>
    public void Acknowledge(SubscriptionAcknowledged e)
    {
        if (_cursors.TryGetValue(e.Subscription, out var at) && e.UpTo > at)
        {
            _cursors[e.Subscription] = e.UpTo;
            Advance();
        }
    }

    /// <summary>Applies an expiry: the subscription no longer holds payloads back.</summary>
    public void Expire(PayloadSubscriptionExpired e)
    {
        if (_cursors.Remove(e.Subscription))
        {
            Advance();
        }
    }

    /// <summary>An older journal's shared acknowledgement: the floor itself.</summary>
    public void RaiseFloor(long upTo) => Floor = Math.Max(Floor, upTo);

    public OutboxCursorSnapshot ToSnapshot(long lastSequence, ImmutableArray<PayloadDelivered> unacknowledged) =>
        new(lastSequence, Floor, unacknowledged, _cursors.ToImmutableDictionary(), _spentNonces.ToImmutableDictionary());

    public void Restore(OutboxCursorSnapshot snapshot)
    {
        Floor = snapshot.Floor;
        foreach (var (id, at) in snapshot.Cursors)
        {
            _cursors[id] = at;
        }

        foreach (var (nonce, at) in snapshot.SpentNonces)
        {
            _spentNonces[nonce] = at;
        }
    }

    private void Advance()
    {
        if (_cursors.Count > 0)
        {
            Floor = Math.Max(Floor, _cursors.Values.Min());
        }
    }

    private void ForgetNoncesOlderThan(long timeMs)
    {
        foreach (var nonce in _spentNonces.Where(n => n.Value < timeMs).Select(n => n.Key).ToList())
        {
            _spentNonces.Remove(nonce);
        }
    }
}
