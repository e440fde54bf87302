using System.Collections.Immutable;
using Naeural.Actors.Commands;
using Naeural.Actors.Payloads;
using Naeural.Actors.Serialization;

namespace Naeural.Actors.Replication;

/// <summary>One accepted owner-signed command of a pipeline and the version its host gave it.</summary>
[WireName("replication.history-entry")]
public sealed record HistoryEntry(long Version, SignedCommand Command);

/// <summary>
/// Member to member: a pipeline's host sends its replicas owner-signed commands it accepted. A replica keeps only commands
/// signed by the pipeline's owner for that pipeline on this network (any age: history), one per nonce and per version.
/// </summary>
[WireName("replication.replicate-history")]
public sealed record ReplicateHistory(string PipelineId, ImmutableArray<HistoryEntry> Entries);

/// <summary>Answers <see cref="ReplicateHistory"/>: how many entries this replica holds for the pipeline now.</summary>
[WireName("replication.history-replicated")]
public sealed record HistoryReplicated(string PipelineId, int Held);

/// <summary>
/// Member to member: a pipeline's host sends its replicas payloads it numbered and signed, before it publishes them, and
/// how far every subscription has acknowledged (replicas drop what is below). A replica takes them only from the node that
/// hosts the pipeline (its own pipeline region says which) and only payloads that node signed.
/// </summary>
[WireName("replication.replicate-payloads")]
public sealed record ReplicatePayloads(string PipelineId, long AcknowledgedUpTo, ImmutableArray<PayloadDelivered> Payloads);

/// <summary>Answers <see cref="ReplicatePayloads"/>: the highest sequence number this replica holds for the pipeline.</summary>
[WireName("replication.payloads-replicated")]
public sealed record PayloadsReplicated(string PipelineId, long UpTo);

/// <summary>
/// Member to member: a pipeline's new home reads what a replica holds of it, one page at a time: the history and the first
/// payloads for <paramref name="After"/> 0, then the payloads numbered above <paramref name="After"/>.
/// </summary>
[WireName("replication.read-replica")]
public sealed record ReadReplica(string PipelineId, long After = 0);

/// <summary>
/// Answers <see cref="ReadReplica"/> (one page: <see cref="More"/> says more payloads are held beyond it) and, merged over
/// the replica set and every page, <see cref="GatherReplica"/>.
/// </summary>
[WireName("replication.replica-content")]
public sealed record ReplicaContent(
    string PipelineId,
    ImmutableArray<HistoryEntry> History,
    ImmutableArray<PayloadDelivered> Payloads,
    long AcknowledgedUpTo,
    long LastSequence,
    bool More = false);

/// <summary>Answers a replication message this replica refused, with the reason.</summary>
[WireName("replication.replica-refused")]
public sealed record ReplicaRefused(string PipelineId, string Reason);

/// <summary>
/// Local (this node's pipeline entity → its replica actor): share accepted commands with the pipeline's replicas; answered
/// <see cref="HistoryShared"/> once at least one other member holds them (at once when no other member is up), so the entity
/// answers its owner only with what outlives this node.
/// </summary>
internal sealed record ShareHistory(string PipelineId, ImmutableArray<HistoryEntry> Entries);

/// <summary>Answers <see cref="ShareHistory"/>: the history up to <see cref="Version"/> is on another member (or none is up).</summary>
internal sealed record HistoryShared(string PipelineId, long Version);

/// <summary>
/// Local (this node's outbox → its replica actor): share payloads with the pipeline's replicas; answered
/// <see cref="PayloadsShared"/> once at least one other member holds them (at once when no other member is up).
/// </summary>
internal sealed record SharePayloads(string PipelineId, long AcknowledgedUpTo, ImmutableArray<PayloadDelivered> Payloads);

/// <summary>Answers <see cref="SharePayloads"/>: up to which sequence number the payloads are on <see cref="Copies"/> members.</summary>
internal sealed record PayloadsShared(string PipelineId, long UpTo, int Copies);

/// <summary>Local: a recovering pipeline or outbox asks for everything the pipeline's replicas hold, merged and verified.</summary>
internal sealed record GatherReplica(string PipelineId);

/// <summary>Local: an outbox runs here; it is told to share its unacknowledged payloads again when the replica set changes.</summary>
internal sealed record HostingPipeline(string PipelineId);

/// <summary>Local: the replica set of a hosted pipeline changed; share everything unacknowledged again.</summary>
internal sealed record ReshareReplica
{
    public static ReshareReplica Instance { get; } = new();
}
