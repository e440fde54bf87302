using Akka.Cluster.Sharding;

namespace Naeural.Actors.Nodes;

/// <summary>Routes <see cref="INodeEntityMessage"/>s by node id: one shard per node, named after it (placed on that node).</summary>
public sealed class NodeEntityMessageExtractor : IMessageExtractor
{
    public string? EntityId(object message) => (message as INodeEntityMessage)?.NodeId.ToLowerInvariant();

    public object? EntityMessage(object message) => message;

    public string? ShardId(object message) => EntityId(message);

    public string ShardId(string entityId, object? messageHint = null) => entityId.ToLowerInvariant();
}
