using System.Collections.Immutable;
using Naeural.Actors.Nodes;
using Naeural.Actors.Serialization;
using Naeural.Actors.Security;

namespace Naeural.Actors.Network;

/// <summary>Asks for the network as this member sees it.</summary>
[WireName("network.get-nodes")]
public sealed record GetNodes
{
    public static GetNodes Instance { get; } = new();
}

/// <summary>One member of the network: its last heartbeat, and whether the failure detector currently reaches it.</summary>
[WireName("network.network-node")]
public sealed record NetworkNode(NodeResources Resources, bool Reachable);

/// <summary>The network view: every current member that has published a heartbeat, ordered by node id.</summary>
[WireName("network.network-snapshot")]
public sealed record NetworkSnapshot(ImmutableArray<NetworkNode> Nodes, DateTimeOffset At)
{
    /// <summary>The node id of the node that answered (its front door stamps it): what a client's signed reads name.</summary>
    public string? Self { get; init; }

    public NetworkNode? Find(string nodeId) =>
        Nodes.FirstOrDefault(n => AccountAddress.Same(n.Resources.NodeId, nodeId));
}
