using Naeural.Actors.Serialization;

namespace Naeural.Actors.Commands;

/// <summary>The node did what the command asked (for a deploy: the pipeline is running, every instance initialised).</summary>
[WireName("commands.command-accepted")]
public sealed record CommandAccepted(string PipelineId, string Action, long Version, string Code, string Message);

/// <summary>The node refused the command; nothing changed. <see cref="Code"/> is one of <see cref="RejectionCodes"/>.</summary>
[WireName("commands.command-rejected")]
public sealed record CommandRejected(string PipelineId, string Action, string Code, string Reason);

/// <summary>Why a command was refused.</summary>
public static class RejectionCodes
{
    public const string Malformed = "MALFORMED";
    public const string TooLarge = "TOO_LARGE";
    public const string BadSignature = "BAD_SIGNATURE";
    public const string Stale = "STALE";
    public const string Replayed = "REPLAYED";
    public const string WrongNetwork = "WRONG_NETWORK";

    /// <summary>A signed read names another node: each read is answered only by the node it was signed for.</summary>
    public const string WrongNode = "WRONG_NODE";
    public const string NotOwner = "NOT_OWNER";
    public const string NotAllowed = "NOT_ALLOWED";
    public const string UnknownAction = "UNKNOWN_ACTION";
    public const string InvalidSpec = "INVALID_SPEC";
    public const string AlreadyExists = "ALREADY_EXISTS";
    public const string UnknownPipeline = "UNKNOWN_PIPELINE";
    public const string UnknownInstance = "UNKNOWN_INSTANCE";
    public const string Archived = "ARCHIVED";
    public const string InitFailed = "PLUGIN_INIT_FAILED";
    public const string Timeout = "DEPLOY_TIMEOUT";
    public const string UnknownJob = "UNKNOWN_JOB";
    public const string UnknownJobPlugin = "UNKNOWN_JOB_PLUGIN";

    /// <summary>The client edge has as many requests or subscriptions open as it takes: try again later.</summary>
    public const string EdgeBusy = "EDGE_BUSY";

    /// <summary>The front door holds as many creates that no node fits yet as it keeps: try again once one is placed or dropped.</summary>
    public const string TooManyPending = "TOO_MANY_PENDING";
}

/// <summary>Thrown while a command is checked; becomes a <see cref="CommandRejected"/> for the sender.</summary>
public sealed class CommandRejectedException(string code, string reason) : Exception($"{code}: {reason}")
{
    public string Code { get; } = code;

    public string Reason { get; } = reason;
}
