using System.Collections.Immutable;
using Naeural.Actors.Commands;
using Naeural.Actors.Serialization;

namespace Naeural.Actors.Pipelines;

/// <summary>A message for one <see cref="PipelineEntity"/>, routed by sharding on <see cref="PipelineId"/>.</summary>
public interface IPipelineMessage
{
    string PipelineId { get; }
}

/// <summary>A developer's signed command, routed to its pipeline (the front door peeked at its routing fields only).</summary>
[WireName("pipelines.pipeline-command-request")]
public sealed record PipelineCommandRequest(string PipelineId, SignedCommand Command) : IPipelineMessage;

/// <summary>Wakes a pipeline (after a restart the remembered ones wake by themselves).</summary>
[WireName("pipelines.get-pipeline-status")]
public sealed record GetPipelineStatus(string PipelineId) : IPipelineMessage;

/// <summary>Answers <see cref="GetPipelineStatus"/>.</summary>
[WireName("pipelines.pipeline-status-report")]
public sealed record PipelineStatusReport(string PipelineId, PipelineStatus Status, long Version, string? SpecJson, ImmutableArray<string> RunningInstances, string NodeId);

[WireName("pipelines.pipeline-status")]
public enum PipelineStatus
{
    None,
    Running,
    Stopped,
    Archived,
}

/// <summary>Who sent an accepted command, with which nonce and when: recorded with every event so replays are refused after a restart.</summary>
[WireName("pipelines.command-stamp")]
public sealed record CommandStamp(string Signer, string Nonce, long TimeMs);

/// <summary>
/// An event of a pipeline's journal, applied in one place (<c>PipelineEntity.Apply</c>); each carries the stamp of the
/// command it records, so a replayed command is refused after a restart too.
/// </summary>
public interface IPipelineEvent
{
    CommandStamp Stamp { get; }
}

/// <summary>Event: the pipeline was created by its owner.</summary>
/// <param name="OwnerPublicKey">
/// The owner's public key (0x-hex, 65 bytes uncompressed), recovered from its signature on the create; null when someone
/// else (the node's operator) signed it. Payloads of an <c>ENCRYPT_PAYLOADS</c> pipeline are sealed for this key.
/// </param>
[WireName("pipelines.pipeline-created")]
public sealed record PipelineCreated(string Owner, string SpecJson, CommandStamp Stamp, string? OwnerPublicKey = null) : IPipelineEvent;

/// <summary>Event: the pipeline's spec changed (<c>UPDATE_CONFIG</c>, instance added/updated/removed); the new spec in full.</summary>
[WireName("pipelines.pipeline-spec-changed")]
public sealed record PipelineSpecChanged(string Action, string SpecJson, CommandStamp Stamp) : IPipelineEvent;

/// <summary>Event: the pipeline's run state changed (<c>STOP</c>, <c>START</c>, <c>ARCHIVE_CONFIG</c>).</summary>
[WireName("pipelines.pipeline-status-changed")]
public sealed record PipelineStatusChanged(PipelineStatus Status, CommandStamp Stamp) : IPipelineEvent;

/// <summary>Event: a command that changes no config (a pipeline or instance command) was delivered.</summary>
[WireName("pipelines.pipeline-command-delivered")]
public sealed record PipelineCommandDelivered(string Action, CommandStamp Stamp) : IPipelineEvent;

/// <summary>Event: a create whose plugins failed to initialise was rolled back; the pipeline is as if never created.</summary>
[WireName("pipelines.pipeline-creation-rolled-back")]
public sealed record PipelineCreationRolledBack(string Reason, CommandStamp Stamp) : IPipelineEvent;

/// <summary>The snapshot of a pipeline entity.</summary>
[WireName("pipelines.pipeline-snapshot")]
public sealed record PipelineSnapshot(
    string? Owner,
    string? SpecJson,
    PipelineStatus Status,
    long Version,
    ImmutableDictionary<string, long> RecentNonces,
    string? OwnerPublicKey = null);

/// <summary>Something the owner should know, published on the pipeline's topic next to its payloads.</summary>
[WireName("pipelines.pipeline-notification")]
public sealed record PipelineNotification(
    string PipelineId,
    string Source,
    NotificationSeverity Severity,
    string Code,
    string Message,
    DateTimeOffset At);

[WireName("pipelines.notification-severity")]
public enum NotificationSeverity
{
    Info,
    Warning,
    Error,
}

/// <summary>Notification codes, after the original's (pipeline OK, config OK, errors).</summary>
public static class NotificationCodes
{
    public const string PipelineOk = "PIPELINE_OK";
    public const string ConfigOk = "CONFIG_OK";
    public const string PipelineStopped = "PIPELINE_STOPPED";
    public const string PipelineArchived = "PIPELINE_ARCHIVED";
    public const string CaptureState = "CAPTURE_STATE";
    public const string PluginError = "PLUGIN_ERROR";
    public const string InputsDropped = "INPUTS_DROPPED";
    public const string OutboxOverflow = "OUTBOX_OVERFLOW";
    public const string Recovered = "PIPELINE_RECOVERED";

    /// <summary>Custom code (<c>CUSTOM_EXEC</c>) broke one of its bounds: time, memory, stack, state or output size.</summary>
    public const string CustomCodeViolation = "CUSTOM_CODE_VIOLATION";

    /// <summary>Reported by a client's subscription (not by the node): an encrypted payload it could not open, so did not deliver.</summary>
    public const string DecryptionFailed = "DECRYPTION_FAILED";

    /// <summary>
    /// Reported by a subscriber (a client's, or the HTTP stream's), not by the node: a payload that failed its checks (missing
    /// or bad signature, signed by another node than its path names or than the relay vouched for, another pipeline, or a
    /// sequence number other than the one it is signed with), so was not delivered.
    /// </summary>
    public const string PayloadRejected = "PAYLOAD_REJECTED";
}
