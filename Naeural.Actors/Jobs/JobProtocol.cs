using System.Collections.Immutable;
using Naeural.Actors.Commands;
using Naeural.Actors.Pipelines;
using Naeural.Actors.Serialization;

namespace Naeural.Actors.Jobs;

/// <summary>
/// The actions of distributed jobs. A job command is a <see cref="SignedCommand"/> like a pipeline's: its <c>PIPELINE</c>
/// field names the job, <c>OWNER</c> (default: the signer) owns it, and only the owner may start or read it.
/// </summary>
public static class JobActions
{
    /// <summary>Starts a job; <c>PAYLOAD</c> is its <see cref="JobSpec"/>. Answered <see cref="CommandAccepted"/> once it is persisted.</summary>
    public const string Start = "START_JOB";

    /// <summary>Asks for a job's <see cref="JobStatus"/>.</summary>
    public const string Get = "GET_JOB";

    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal) { Start, Get };
}

/// <summary>A message for one <see cref="DistributedJobEntity"/>, routed by sharding on <see cref="JobId"/> (<c>{owner}/{name}</c>).</summary>
public interface IJobMessage
{
    string JobId { get; }
}

/// <summary>A developer's signed job command, routed to its job (the front door verified the signature and the spec).</summary>
[WireName("jobs.job-command-request")]
public sealed record JobCommandRequest(string JobId, SignedCommand Command) : IJobMessage;

/// <summary>
/// A status query of this node's own actors (local-only: the serializer refuses it on the wire, so no peer reads a job
/// unsigned; its owner reads it with a signed <see cref="JobActions.Get"/>). Asked of the job's region on the node that hosts
/// the job.
/// </summary>
[WireName("jobs.get-job-status")]
public sealed record GetJobStatus(string JobId) : IJobMessage;

/// <summary>A worker runs (or ran) a share, on which node and member address: signed by that node (<see cref="JobShareSigning"/>).</summary>
[WireName("jobs.share-started")]
public sealed record ShareStarted(string JobId, int Index, string NodeId, string Address, string Signature) : IJobMessage;

/// <summary>A worker's partial result for a share (JSON), signed by the node that computed it (<see cref="JobShareSigning"/>).</summary>
[WireName("jobs.share-completed")]
public sealed record ShareCompleted(string JobId, int Index, string PartialJson, string NodeId, string Signature) : IJobMessage;

/// <summary>
/// The plugin threw on a share, or the worker's node refuses the owner's signed spec: the job fails (the same input would fail
/// again anywhere). Signed by that node (<see cref="JobShareSigning"/>).
/// </summary>
[WireName("jobs.share-failed")]
public sealed record ShareFailed(string JobId, int Index, string Reason, string NodeId, string Signature) : IJobMessage;

/// <summary>A message for one <see cref="JobShareWorker"/>, routed by sharding on <see cref="ShareId"/> (<c>{job}#{index}</c>), one shard each.</summary>
public interface IJobShareMessage
{
    string ShareId { get; }
}

/// <summary>
/// Run share <see cref="Index"/> of the job its owner started with <see cref="Start"/>, the owner's signed <c>START_JOB</c>:
/// the worker verifies it and takes the rows, plugin and config from it, so nothing else in this message is trusted.
/// <see cref="Challenge"/> is the job's secret for this share (sent in this message only): the worker signs its reports over it,
/// which proves to the job that the share went to that node. Re-sent until its partial arrives; a worker already running it
/// just answers <see cref="ShareStarted"/>.
/// </summary>
[WireName("jobs.run-share")]
public sealed record RunShare(string JobId, int Index, string Challenge, SignedCommand Start) : IJobShareMessage
{
    [System.Text.Json.Serialization.JsonIgnore]
    public string ShareId => IdOf(JobId, Index);

    public static string IdOf(string jobId, int index) => $"{jobId}#{index}";
}

[WireName("jobs.job-state")]
public enum JobState
{
    None,
    Running,
    Completed,
    Failed,
}

/// <summary>One share as its job sees it: done (with the node that computed it) or pending (with the node running it, if known).</summary>
/// <param name="RanOn">Every node that reported starting it since the job's entity last started: more than one after a worker was lost.</param>
[WireName("jobs.job-share-status")]
public sealed record JobShareStatus(int Index, int Rows, bool Done, string? NodeId, ImmutableArray<string> RanOn);

/// <summary>Answers <see cref="JobActions.Get"/> and <see cref="GetJobStatus"/>; <see cref="ResultJson"/> once completed.</summary>
[WireName("jobs.job-status")]
public sealed record JobStatus(
    string JobId,
    JobState State,
    string? Plugin,
    int Workers,
    ImmutableArray<JobShareStatus> Shares,
    string? ResultJson,
    string? Error,
    string NodeId);

/// <summary>
/// Event: the owner started the job; its spec in full (shares are split from it, deterministically) and the owner's signed
/// command, which every <see cref="RunShare"/> carries to prove the owner asked for the work (null in events written before
/// shares carried it: such a job fails when it resumes).
/// </summary>
/// <summary>An event of a job's journal, applied in one place (<c>DistributedJobEntity.Apply</c>).</summary>
public interface IJobEvent;

[WireName("jobs.job-started")]
public sealed record JobStarted(string Owner, string SpecJson, CommandStamp Stamp, SignedCommand? Command) : IJobEvent;

/// <summary>Event: a share's partial arrived (the first one counts; later copies of the same share are ignored).</summary>
[WireName("jobs.share-partial-recorded")]
public sealed record SharePartialRecorded(int Index, string PartialJson, string NodeId) : IJobEvent;

/// <summary>Event: every partial is in and reduced.</summary>
[WireName("jobs.job-completed")]
public sealed record JobCompleted(string ResultJson) : IJobEvent;

/// <summary>Event: a share's plugin failed, or the reduce did.</summary>
[WireName("jobs.job-failed")]
public sealed record JobFailed(string Reason) : IJobEvent;

/// <summary>Codes of job answers.</summary>
public static class JobCodes
{
    public const string Started = "JOB_STARTED";
}
