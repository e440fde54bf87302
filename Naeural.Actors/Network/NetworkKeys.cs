using Akka.DistributedData;

namespace Naeural.Actors.Network;

/// <summary>The replicated data that makes up the network view.</summary>
public static class NetworkKeys
{
    /// <summary>Every node's latest heartbeat, signed by it, keyed by node id (readers check both: <see cref="HeartbeatBook"/>).</summary>
    public static readonly LWWDictionaryKey<string, SignedHeartbeat> Resources = new("naeural-node-resources");
}
