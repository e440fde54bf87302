using Akka.Cluster.Sharding;
using Naeural.Actors.Pipelines;
using Naeural.Actors.Plugins;

namespace Naeural.Actors.Sharding;

/// <summary>
/// Pipelines: entity id = shard id = pipeline id. One shard per pipeline, so placement (and rebalancing) decides each
/// pipeline's node on its own requirements.
/// </summary>
public sealed class PipelineMessageExtractor : IMessageExtractor
{
    public string? EntityId(object message) => (message as IPipelineMessage)?.PipelineId;

    public object? EntityMessage(object message) => message;

    public string? ShardId(object message) => (message as IPipelineMessage)?.PipelineId;

    public string ShardId(string entityId, object? messageHint = null) => entityId;
}

/// <summary>Plugin instances: entity id = the instance's, shard = its pipeline, so a pipeline's instances share one shard.</summary>
public sealed class PluginInstanceMessageExtractor : IMessageExtractor
{
    public string? EntityId(object message) => (message as IPluginInstanceMessage)?.EntityId;

    public object? EntityMessage(object message) => message;

    public string? ShardId(object message) => (message as IPluginInstanceMessage)?.PipelineId;

    public string ShardId(string entityId, object? messageHint = null) => entityId.Split('#')[0];
}
