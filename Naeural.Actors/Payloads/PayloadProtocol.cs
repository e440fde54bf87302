using System.Collections.Immutable;
using Akka.Actor;
using Naeural.Actors.Pipelines;

namespace Naeural.Actors.Payloads;

/// <summary>The DistributedPubSub topic of one pipeline: its payloads and notifications.</summary>
public static class PayloadTopics
{
    public static string For(string pipelineId) => $"naeural-pipeline-{pipelineId}";
}

/// <summary>A payload a plugin emitted, not yet numbered or signed.</summary>
public sealed record PendingPayload(string Signature, string InstanceId, string DataJson, DateTimeOffset At);

/// <summary>A plugin instance hands its payloads to the pipeline's outbox.</summary>
public sealed record EmitPayloads(string PipelineId, string Owner, ImmutableArray<PendingPayload> Payloads);

/// <summary>
/// From a pipeline entity to its own outbox (never across nodes): seal what you emit this way from now on (null: in
/// clear). The outbox holds payloads back until the first one arrives, after its pipeline has recovered.
/// </summary>
public sealed record ConfigureOutbox(PayloadEncryption? Encryption);

/// <summary>A numbered, signed payload as it reaches subscribers (and as the outbox keeps it).</summary>
/// <param name="SignedJson">The payload: <c>EE_PAYLOAD_PATH</c>, <c>EE_MESSAGE_SEQ</c>, <c>EE_TIMESTAMP</c>, <c>DATA</c>, signed by the node.</param>
public sealed record PayloadDelivered(string PipelineId, long Sequence, string SignedJson);

/// <summary>
/// Published on the local event stream of the node whose outbox persisted these payloads (never sent to another node):
/// what the node's own observers, such as the dashboard's live feed, watch.
/// </summary>
public sealed record LocalPayloadsStored(string PipelineId, ImmutableArray<PayloadDelivered> Payloads);

/// <summary>Consecutive payloads travelling together (one journal write's worth, or a chunk of a resend).</summary>
public sealed record PayloadBatch(string PipelineId, ImmutableArray<PayloadDelivered> Payloads);

/// <summary>The subscriber has everything up to <see cref="UpTo"/>: the outbox may forget it.</summary>
public sealed record AckPayloads(string PipelineId, long UpTo) : IPipelineMessage;

/// <summary>Send <see cref="To"/> every unacknowledged payload after <see cref="After"/>, in order, then <see cref="ResendDone"/>.</summary>
public sealed record ResendPayloads(string PipelineId, long After, IActorRef To) : IPipelineMessage;

/// <summary>
/// The start of a resend: payloads up to <see cref="Floor"/> are gone (acknowledged or evicted), so a subscriber that is
/// behind it continues from <see cref="Floor"/> + 1 instead of waiting for numbers that will never come.
/// </summary>
public sealed record ResendFrom(string PipelineId, long Floor);

/// <summary>The end of a resend: the outbox's last sequence number so far.</summary>
public sealed record ResendDone(string PipelineId, long LastSequence);

/// <summary>Event: payloads numbered and signed, in order.</summary>
public sealed record PayloadsStored(ImmutableArray<PayloadDelivered> Payloads);

/// <summary>Event: payloads up to <see cref="UpTo"/> are acknowledged.</summary>
public sealed record PayloadsAcknowledged(long UpTo);

/// <summary>Event: the outbox was over its limit and dropped its oldest unacknowledged payloads up to <see cref="UpTo"/>.</summary>
public sealed record PayloadsEvicted(long UpTo, long Count);

/// <summary>An outbox's snapshot.</summary>
public sealed record OutboxSnapshot(long LastSequence, long Acknowledged, ImmutableArray<PayloadDelivered> Unacknowledged);
