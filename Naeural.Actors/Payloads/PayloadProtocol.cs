using System.Collections.Immutable;
using Naeural.Actors.Commands;
using Naeural.Actors.Pipelines;
using Naeural.Actors.Serialization;

namespace Naeural.Actors.Payloads;

/// <summary>The DistributedPubSub topic of one pipeline: its payloads and notifications.</summary>
public static class PayloadTopics
{
    public static string For(string pipelineId) => $"naeural-pipeline-{pipelineId}";
}

/// <summary>A payload a plugin emitted, not yet numbered or signed.</summary>
[WireName("payloads.pending-payload")]
public sealed record PendingPayload(string Signature, string InstanceId, string DataJson, DateTimeOffset At);

/// <summary>A plugin instance hands its payloads to the pipeline's outbox.</summary>
[WireName("payloads.emit-payloads")]
internal sealed record EmitPayloads(string PipelineId, string Owner, ImmutableArray<PendingPayload> Payloads);

/// <summary>
/// From a pipeline entity to its own outbox (never across nodes): seal what you emit this way from now on (null: in
/// clear). The outbox holds payloads back until the first one arrives, after its pipeline has recovered.
/// </summary>
public sealed record ConfigureOutbox(PayloadEncryption? Encryption);

/// <summary>A numbered, signed payload as it reaches subscribers (and as the outbox keeps it).</summary>
/// <param name="SignedJson">The payload: <c>EE_PAYLOAD_PATH</c>, <c>EE_MESSAGE_SEQ</c>, <c>EE_TIMESTAMP</c>, <c>DATA</c>, signed by the node.</param>
[WireName("payloads.payload-delivered")]
public sealed record PayloadDelivered(string PipelineId, long Sequence, string SignedJson);

/// <summary>
/// Published on the local event stream of the node whose outbox persisted these payloads (never sent to another node):
/// what the node's own observers, such as the dashboard's live feed, watch.
/// </summary>
public sealed record LocalPayloadsStored(string PipelineId, ImmutableArray<PayloadDelivered> Payloads);

/// <summary>Consecutive payloads travelling together (one journal write's worth, or a chunk of a resend).</summary>
[WireName("payloads.payload-batch")]
public sealed record PayloadBatch(string PipelineId, ImmutableArray<PayloadDelivered> Payloads);

/// <summary>
/// The subscriber has everything up to <see cref="UpTo"/>: from a subscriber to its relay, and from the relay to the outbox,
/// which moves only the cursor of the subscription that relay is bound to (an ack from any other sender changes nothing).
/// The outbox forgets a payload once every subscription's cursor has passed it.
/// </summary>
[WireName("payloads.ack-payloads")]
public sealed record AckPayloads(string PipelineId, long UpTo) : IPipelineMessage;

/// <summary>
/// From a relay to the outbox: send me every unacknowledged payload after <see cref="After"/>, in order, then
/// <see cref="ResendDone"/>. Answered only to a relay bound to a subscription (the sender), never to a ref in a message.
/// </summary>
[WireName("payloads.resend-payloads")]
public sealed record ResendPayloads(string PipelineId, long After) : IPipelineMessage;

/// <summary>
/// From a relay to the outbox (through the pipeline's shard region): the owner's signed <c>SUBSCRIBE_PAYLOADS</c>. The outbox
/// verifies it (signature, freshness, nonce not used, signer = the pipeline's owner), binds the sender to the subscription
/// it names (<c>PAYLOAD.SUBSCRIPTION</c>, else the command's nonce), answers <see cref="PayloadSubscriptionAccepted"/> and
/// resends what the subscription has not acknowledged after its <c>AFTER_SEQUENCE</c>.
/// </summary>
[WireName("payloads.open-payload-subscription")]
public sealed record OpenPayloadSubscription(string PipelineId, SignedCommand Subscribe) : IPipelineMessage;

/// <summary>
/// The outbox accepted a relay's subscription. <see cref="Signers"/>: the nodes whose signatures a payload of this pipeline
/// may carry (this node, and the former hosts that signed payloads it still keeps).
/// </summary>
[WireName("payloads.payload-subscription-accepted")]
public sealed record PayloadSubscriptionAccepted(string PipelineId, string NodeId, ImmutableArray<string> Signers);

/// <summary>
/// The outbox refused a relay's request: its subscription was not shown (bad or replayed subscribe), or is not known to this
/// outbox (it moved or restarted, so the subscriber must subscribe again with a fresh signed request).
/// </summary>
[WireName("payloads.payload-subscription-refused")]
public sealed record PayloadSubscriptionRefused(string PipelineId, string Code, string Reason);

/// <summary>
/// The start of a resend: payloads up to <see cref="Floor"/> are gone (acknowledged or evicted), so a subscriber that is
/// behind it continues from <see cref="Floor"/> + 1 instead of waiting for numbers that will never come.
/// </summary>
[WireName("payloads.resend-from")]
public sealed record ResendFrom(string PipelineId, long Floor);

/// <summary>The end of a resend: the outbox's last sequence number so far.</summary>
[WireName("payloads.resend-done")]
public sealed record ResendDone(string PipelineId, long LastSequence);

/// <summary>An event of an outbox's journal, applied in one place (<c>PayloadOutbox.Apply</c>).</summary>
public interface IOutboxEvent;

/// <summary>Event: payloads numbered and signed, in order.</summary>
[WireName("payloads.payloads-stored")]
public sealed record PayloadsStored(ImmutableArray<PayloadDelivered> Payloads) : IOutboxEvent;

/// <summary>Event (older journals only): payloads up to <see cref="UpTo"/> are acknowledged, by a single shared cursor.</summary>
[WireName("payloads.payloads-acknowledged")]
public sealed record PayloadsAcknowledged(long UpTo) : IOutboxEvent;

/// <summary>Event: an owner-signed subscription opened (or reopened) its cursor at <see cref="After"/>; its nonce is spent.</summary>
[WireName("payloads.payload-subscription-opened")]
public sealed record PayloadSubscriptionOpened(string Subscription, long After, string Nonce, long TimeMs) : IOutboxEvent;

/// <summary>Event: one subscription acknowledged everything up to <see cref="UpTo"/>.</summary>
[WireName("payloads.subscription-acknowledged")]
public sealed record SubscriptionAcknowledged(string Subscription, long UpTo) : IOutboxEvent;

/// <summary>Event: a subscription stayed away longer than its linger (or made room for a newer one): its cursor is gone.</summary>
[WireName("payloads.payload-subscription-expired")]
public sealed record PayloadSubscriptionExpired(string Subscription) : IOutboxEvent;

/// <summary>Event: the outbox was over its limit and dropped its oldest unacknowledged payloads up to <see cref="UpTo"/>.</summary>
[WireName("payloads.payloads-evicted")]
public sealed record PayloadsEvicted(long UpTo, long Count) : IOutboxEvent;

/// <summary>An outbox's snapshot (older journals: one shared cursor).</summary>
[WireName("payloads.outbox-snapshot")]
public sealed record OutboxSnapshot(long LastSequence, long Acknowledged, ImmutableArray<PayloadDelivered> Unacknowledged);

/// <summary>An outbox's snapshot: its payloads, the floor it forgot up to, each subscription's cursor and the spent subscribe nonces.</summary>
[WireName("payloads.outbox-cursor-snapshot")]
public sealed record OutboxCursorSnapshot(long LastSequence, long Floor, ImmutableArray<PayloadDelivered> Unacknowledged,
    ImmutableDictionary<string, long> Cursors, ImmutableDictionary<string, long> SpentNonces);
