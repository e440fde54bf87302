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

/// <summary>The kernel's messages, events and replicated values: the part of the serializer allow-list the kernel contributes.</summary>
public static class KernelMessages
{
    public static IReadOnlyList<Type> Types { get; } =
    [
        // Node entity: commands, replies, events, snapshots.
        typeof(RecordNodeOffer), typeof(NodeOfferRecordedAck), typeof(GetNodeRecord), typeof(NodeRecord),
        typeof(NodeOfferRecorded), typeof(NodeOffer),
        // Network view: the replicated heartbeat and the queries on it.
        typeof(NodeResources), typeof(GpuInfo), typeof(GetNodes), typeof(NetworkSnapshot), typeof(NetworkNode),
        // Commands and their answers.
        typeof(SignedCommand), typeof(CommandAccepted), typeof(CommandRejected),
        // Pipeline entity: routed commands, queries, events, snapshots, directory, notifications.
        typeof(PipelineCommandRequest), typeof(GetPipelineStatus), typeof(PipelineStatusReport), typeof(PipelineStatus),
        typeof(CommandStamp), typeof(PipelineCreated), typeof(PipelineSpecChanged), typeof(PipelineStatusChanged),
        typeof(PipelineCommandDelivered), typeof(PipelineCreationRolledBack), typeof(PipelineSnapshot),
        typeof(PipelineSummary), typeof(GetPipelines), typeof(PipelineList),
        typeof(PipelineNotification), typeof(NotificationSeverity),
        // Plugin instances (configured through their region; frames stay on the node but may cross during a hand-over).
        typeof(ConfigureInstance), typeof(InstanceReady), typeof(StopInstance), typeof(InstanceConfigured), typeof(InstanceStopped),
        typeof(FramesConsumed), typeof(ProcessFrames), typeof(Frame), typeof(InstanceCommand),
        // Payload outbox and subscriptions.
        typeof(EmitPayloads), typeof(PendingPayload), typeof(PayloadDelivered), typeof(PayloadBatch), typeof(AckPayloads), typeof(ResendPayloads),
        typeof(ResendFrom), typeof(ResendDone), typeof(PayloadsStored), typeof(PayloadsAcknowledged), typeof(PayloadsEvicted), typeof(OutboxSnapshot),
        typeof(PayloadSubscriptionStarted), typeof(RequestResend), typeof(EndSubscription),
        // Per-subscription cursors: the relay's signed open and the outbox's answers (member), their events and snapshot (local).
        typeof(OpenPayloadSubscription), typeof(PayloadSubscriptionAccepted), typeof(PayloadSubscriptionRefused),
        typeof(PayloadSubscriptionOpened), typeof(SubscriptionAcknowledged), typeof(PayloadSubscriptionExpired), typeof(OutboxCursorSnapshot),
        // Placement: the replicated requirements and the pending list.
        typeof(PlacementRequirements), typeof(GetPendingPlacements), typeof(PendingPlacements),
        // Work metering: reports, the owner's queries, receipts, events, snapshots.
        typeof(WorkDone), typeof(IssueReceiptsNow), typeof(WorkReceiptsIssuedAck), typeof(GetReceipts), typeof(WorkReceipts),
        typeof(GetBilled), typeof(OwnerBilled), typeof(SignedWorkReceipt), typeof(WorkReceiptsIssued), typeof(OwnerReceipts),
        typeof(WorkMeterSnapshot),
        // Distributed jobs: routed commands, queries, shares and their answers, events.
        typeof(JobCommandRequest), typeof(GetJobStatus), typeof(JobStatus), typeof(JobShareStatus), typeof(JobState),
        typeof(RunShare), typeof(ShareStarted), typeof(ShareCompleted), typeof(ShareFailed),
        typeof(JobStarted), typeof(SharePartialRecorded), typeof(JobCompleted), typeof(JobFailed),
        // Entity lifecycle.
        typeof(Naeural.Actors.Sharding.StopEntity),
    ];
}
