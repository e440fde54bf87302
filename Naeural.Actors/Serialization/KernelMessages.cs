using Naeural.Actors.Capture;
using Naeural.Actors.Commands;
using Naeural.Actors.Metering;
using Naeural.Actors.Jobs;
using Naeural.Actors.Network;
using Naeural.Actors.Nodes;
using Naeural.Actors.Payloads;
using Naeural.Actors.Pipelines;
using Naeural.Actors.Placement;
using Naeural.Actors.Plugins;

namespace Naeural.Actors.Serialization;

/// <summary>
/// The kernel's part of the serializer allow-list, split by where each type may travel. A node's
/// serializer takes <see cref="Types"/> (client, member and stored types); <see cref="LocalOnly"/> types are on no list, so
/// the serializer refuses them both ways: none reaches an actor from another process, whatever path it is sent to.
/// </summary>
public static class KernelMessages
{
    /// <summary>What a client may send to a node's front door, and what it gets back.</summary>
    public static IReadOnlyList<Type> Client { get; } =
    [
        // The network view (public), and the answers of signed reads of the directory.
        typeof(GetNodes), typeof(NetworkSnapshot), typeof(NetworkNode), typeof(NodeResources), typeof(GpuInfo),
        typeof(PipelineList), typeof(PipelineSummary),
        // Signed commands and their answers; a pipeline's status.
        typeof(SignedCommand), typeof(CommandAccepted), typeof(CommandRejected),
        typeof(PipelineStatusReport), typeof(PipelineStatus),
        // Payload subscriptions (the relay's side and the subscriber's).
        typeof(PayloadDelivered), typeof(PayloadBatch), typeof(PipelineNotification), typeof(NotificationSeverity),
        typeof(PayloadSubscriptionStarted), typeof(AckDelivered), typeof(RequestResend), typeof(EndSubscription), typeof(ResendFrom), typeof(ResendDone),
        // Work receipts: the answers of an owner's signed GET_RECEIPTS and GET_BILLED.
        typeof(WorkReceipts), typeof(SignedWorkReceipt), typeof(OwnerBilled),
        // Distributed jobs: the owner's answers.
        typeof(JobStatus), typeof(JobShareStatus), typeof(JobState),
        // Through the client edge: a request for another member's answer.
        typeof(Naeural.Actors.Edge.ToNode),
    ];

    /// <summary>
    /// What members exchange besides the client protocol: signed commands routed to their entities (which verify them again),
    /// replicated values, payload acknowledgements, job shares and queries between members.
    /// </summary>
    public static IReadOnlyList<Type> Member { get; } =
    [
        typeof(GetNodeRecord), typeof(NodeRecord), typeof(NodeOffer),
        // Signed heartbeats (replicated) and the address challenge that binds a node id to its member address.
        typeof(SignedHeartbeat), typeof(ProveAddress), typeof(AddressProof),
        typeof(PipelineCommandRequest), typeof(GetPipelineStatus), typeof(CommandStamp),
        typeof(AckPayloads), typeof(ResendPayloads),
        // Per-subscription cursors: the relay's owner-signed open and the outbox's answers.
        typeof(OpenPayloadSubscription), typeof(PayloadSubscriptionAccepted), typeof(PayloadSubscriptionRefused),
        // The directory, kept where pipelines run: a listing asks each member for the summaries it signed as host.
        typeof(SignedPipelineSummary), typeof(ListHostedPipelines), typeof(HostedPipelines),
        // Placement: a front door hands an owner-signed create to the home it chose; a replica holder wakes a lost pipeline; a
        // node that holds a shard a create does not fit gives it up to the coordinator's node.
        typeof(HostPipeline), typeof(HostRefused), typeof(WakePipeline), typeof(ShardMisplaced),
        // Pipeline replicas: owner-signed history, the host's payloads before it publishes them, reads by a new home.
        typeof(Replication.HistoryEntry), typeof(Replication.ReplicateHistory), typeof(Replication.HistoryReplicated),
        typeof(Replication.ReplicatePayloads), typeof(Replication.PayloadsReplicated), typeof(Replication.ReadReplica),
        typeof(Replication.ReplicaContent), typeof(Replication.ReplicaRefused),
        // Jobs: owner-signed commands routed to their job; shares that carry the owner's signed START_JOB; workers' signed reports.
        typeof(JobCommandRequest), typeof(RunShare), typeof(ShareStarted), typeof(ShareCompleted), typeof(ShareFailed),
    ];

    /// <summary>What only journals and snapshot stores hold: persisted events and snapshots (no actor takes one as a command).</summary>
    public static IReadOnlyList<Type> Stored { get; } =
    [
        typeof(NodeOfferRecorded),
        typeof(PipelineCreated), typeof(PipelineSpecChanged), typeof(PipelineStatusChanged), typeof(PipelineCommandDelivered),
        typeof(PipelineCreationRolledBack), typeof(PipelineSnapshot),
        typeof(InstanceConfigured), typeof(InstanceStopped),
        typeof(PayloadsStored), typeof(PayloadsAcknowledged), typeof(PayloadsEvicted), typeof(OutboxSnapshot),
        typeof(PayloadSubscriptionOpened), typeof(SubscriptionAcknowledged), typeof(PayloadSubscriptionExpired), typeof(OutboxCursorSnapshot),
        typeof(WorkReceiptsIssued), typeof(OwnerReceipts), typeof(WorkMeterSnapshot),
        typeof(JobStarted), typeof(SharePartialRecorded), typeof(JobCompleted), typeof(JobFailed),
    ];

    /// <summary>
    /// What never leaves its process: what a node's own actors tell each other (instance configuration and frames, payloads
    /// to sign, work to bill, entity hand-off). Refused by the serializer both ways; listed so tests can prove it.
    /// </summary>
    public static IReadOnlyList<Type> LocalOnly { get; } =
    [
        typeof(RecordNodeOffer), typeof(NodeOfferRecordedAck),
        typeof(ConfigureInstance), typeof(InstanceReady), typeof(StopInstance), typeof(FramesConsumed), typeof(ProcessFrames),
        typeof(Frame), typeof(FrameImage), typeof(InstanceCommand),
        typeof(EmitPayloads), typeof(PendingPayload),
        typeof(WorkDone), typeof(IssueReceiptsNow), typeof(WorkReceiptsIssuedAck),
        typeof(Naeural.Actors.Sharding.StopEntity),
        // A job's unsigned status, for the node's own actors (owners read theirs with a signed GET_JOB).
        typeof(GetJobStatus),
        // Unsigned reads of what belongs to owners, for the node's own actors: peers send signed reads (ReadActions).
        typeof(GetReceipts), typeof(GetBilled), typeof(GetPipelines), typeof(GetPendingPlacements), typeof(PendingPlacements),
        // The front door's verified commands to its own advisor (a peer's reach the front door, signed, instead).
        typeof(PlacePipeline), typeof(RouteCommand),
    ];

    /// <summary>Every type a node's serializer takes: <see cref="Client"/>, <see cref="Member"/> and <see cref="Stored"/>.</summary>
    public static IReadOnlyList<Type> Types { get; } = [.. Client, .. Member, .. Stored];
}
