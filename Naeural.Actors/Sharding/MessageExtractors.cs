using Akka.Cluster.Sharding;
using Naeural.Actors.Pipelines;
using Naeural.Actors.Plugins;

namespace Naeural.Actors.Sharding;

/// <summary>Pipelines: entity id = pipeline id, spread over a fixed number of shards.</summary>
public sealed class PipelineMessageExtractor(int maxShards = 100) : HashCodeMessageExtractor(maxShards)
{
    public override string? EntityId(object message) => (message as IPipelineMessage)?.PipelineId;
}

/// <summary>Plugin instances: entity id = the instance's, shard = its pipeline, so a pipeline's instances share one shard.</summary>
public sealed class PluginInstanceMessageExtractor : IMessageExtractor
{
    public string? EntityId(object message) => (message as IPluginInstanceMessage)?.EntityId;

    public object? EntityMessage(object message) => message;

    public string? ShardId(object message) => (message as IPluginInstanceMessage)?.PipelineId;

    public string ShardId(string entityId, object? messageHint = null) => entityId.Split('#')[0];
}
