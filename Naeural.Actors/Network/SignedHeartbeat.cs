using Naeural.Actors.Nodes;
using Naeural.Actors.Serialization;

namespace Naeural.Actors.Network;

/// <summary>
/// A heartbeat as the replicated map holds it: the node's <see cref="NodeResources"/> and its signature, by the node's own key,
/// over <see cref="HeartbeatSigning.Bytes"/> (the canonical encoding of every field, in the heartbeat domain). A reader counts it
/// only when the map's key, the recovered signer and <see cref="NodeResources.NodeId"/> are the same address.
/// </summary>
[WireName("network.signed-heartbeat")]
public sealed record SignedHeartbeat(NodeResources Resources, string Signature);

/// <summary>
/// Sent by a member's network view to the resource publisher at a member's cluster address: prove which node id lives there,
/// by signing this random <paramref name="Nonce"/> (32 hex digits) with the address (see <see cref="HeartbeatSigning.ProofBytes"/>).
/// </summary>
[WireName("network.prove-address")]
public sealed record ProveAddress(string Nonce);

/// <summary>Answers <see cref="ProveAddress"/>: the node <paramref name="NodeId"/> at <paramref name="AkkaAddress"/> signed the nonce.</summary>
[WireName("network.address-proof")]
public sealed record AddressProof(string Nonce, string NodeId, string AkkaAddress, string Signature);

/// <summary>Local only: the sender wants every change of the members' verified heartbeats (<see cref="VerifiedHeartbeats"/>).</summary>
public sealed record SubscribeVerifiedHeartbeats
{
    public static SubscribeVerifiedHeartbeats Instance { get; } = new();
}

/// <summary>
/// Local only: the heartbeats that verified and are bound to a cluster member (any status until it is removed), one per node,
/// pushed to subscribers whenever the replicated map or the membership changes.
/// </summary>
public sealed record VerifiedHeartbeats(IReadOnlyList<NodeResources> Heartbeats);
