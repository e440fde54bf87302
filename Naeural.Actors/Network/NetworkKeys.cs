using Akka.DistributedData;
using Naeural.Actors.Nodes;

namespace Naeural.Actors.Network;

/// <summary>The replicated data that makes up the network view.</summary>
public static class NetworkKeys
{
    /// <summary>Every node's latest <see cref="NodeResources"/>, keyed by node id.</summary>
    public static readonly LWWDictionaryKey<string, NodeResources> Resources = new("naeural-node-resources");
}
