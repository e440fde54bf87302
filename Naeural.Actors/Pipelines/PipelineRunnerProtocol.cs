using System.Collections.Immutable;

namespace Naeural.Actors.Pipelines;

/// <summary>The entity tells its runner to run this spec (start, or apply the difference to what runs).</summary>
public sealed record RunSpec(PipelineSpec Spec, string Owner, long Version);

/// <summary>The entity tells its runner to stop everything (stop, archive, rolled-back create).</summary>
public sealed record StopRunning
{
    public static StopRunning Instance { get; } = new();
}

/// <summary>
/// The runner answers <see cref="RunSpec"/>: every instance acknowledged its config, or these errors (or a timeout), or
/// <see cref="Superseded"/>: a newer spec (or a stop) arrived before this one was ready.
/// </summary>
public sealed record RunnerReady(long Version, int Instances, ImmutableArray<string> Errors, bool TimedOut, bool Superseded);

/// <summary>The pipeline's outbox was recreated: instances must send their payloads to this one.</summary>
public sealed record OutboxReplaced(Akka.Actor.IActorRef Outbox);

/// <summary>A <c>PIPELINE_COMMAND</c> for the data source.</summary>
public sealed record ForwardToCapture(string CommandJson);

/// <summary>An <c>INSTANCE_COMMAND</c> for one instance.</summary>
public sealed record ForwardToInstance(string Signature, string InstanceId, string CommandJson);

/// <summary>The entity asks its runner to tell the owner something.</summary>
public sealed record PublishNotification(NotificationSeverity Severity, string Code, string Message);
