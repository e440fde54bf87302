using System.Collections.Immutable;
using Akka.Actor;
using Naeural.Actors.Capture;
using Naeural.Actors.Serialization;

namespace Naeural.Actors.Plugins;

/// <summary>A message for one <see cref="PluginInstanceEntity"/>, routed by sharding on <see cref="EntityId"/>, in its pipeline's shard.</summary>
public interface IPluginInstanceMessage
{
    string EntityId { get; }

    string PipelineId { get; }
}

/// <summary>The pipeline's runner gives an instance its (new) config and its pipeline's outbox; answered with <see cref="InstanceReady"/>.</summary>
[WireName("plugins.configure-instance")]
internal sealed record ConfigureInstance(
    string EntityId,
    string PipelineId,
    string Owner,
    string PipelineName,
    string Signature,
    string InstanceId,
    string ConfigJson,
    long Version,
    IActorRef Outbox) : IPluginInstanceMessage;

/// <summary>The instance holds the config of <see cref="Version"/>; <see cref="InitError"/> is set when its plugin failed to start.</summary>
[WireName("plugins.instance-ready")]
internal sealed record InstanceReady(string EntityId, long Version, IActorRef Instance, string? InitError);

/// <summary>The instance is no longer part of its pipeline: close the plugin and stop.</summary>
[WireName("plugins.stop-instance")]
internal sealed record StopInstance(string EntityId, string PipelineId) : IPluginInstanceMessage;

/// <summary>Frames for an instance, sent straight to it by its pipeline's runner (same node).</summary>
[WireName("plugins.process-frames")]
internal sealed record ProcessFrames(ImmutableArray<Frame> Frames);

/// <summary>An <c>INSTANCE_COMMAND</c> for the plugin.</summary>
[WireName("plugins.instance-command")]
internal sealed record InstanceCommand(string CommandJson);

/// <summary>
/// An instance is done with <see cref="Frames"/> more frames (processed, or dropped and counted): the runner's credit
/// window moves on, and the capture may emit that many more.
/// </summary>
[WireName("plugins.frames-consumed")]
internal sealed record FramesConsumed(string EntityId, long Frames);

/// <summary>An event of a plugin instance's journal, applied in one place (<c>PluginInstanceEntity.Apply</c>).</summary>
public interface IInstanceEvent;

/// <summary>Event: the instance's config.</summary>
[WireName("plugins.instance-configured")]
public sealed record InstanceConfigured(
    string PipelineId,
    string Owner,
    string PipelineName,
    string Signature,
    string InstanceId,
    string ConfigJson,
    long Version) : IInstanceEvent;

/// <summary>Event: the instance was removed from its pipeline.</summary>
[WireName("plugins.instance-stopped")]
public sealed record InstanceStopped(long Version) : IInstanceEvent;
