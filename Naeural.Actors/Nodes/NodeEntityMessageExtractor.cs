using Akka.Cluster.Sharding;

namespace Naeural.Actors.Nodes;

/// <summary>Routes <see cref="INodeEntityMessage"/>s to the node's entity by node id.</summary>
public sealed class NodeEntityMessageExtractor(int maxShards = 100) : HashCodeMessageExtractor(maxShards)
{
    public override string? EntityId(object message) => (message as INodeEntityMessage)?.NodeId.ToLowerInvariant();
}
