using Naeural.Actors.Serialization;

namespace Naeural.Actors.Nodes;

/// <summary>A message for the <see cref="NodeEntity"/> of one node; routed by sharding on <see cref="NodeId"/>.</summary>
public interface INodeEntityMessage
{
    string NodeId { get; }
}

/// <summary>A node records what it offers (sent by the node itself when it starts, and whenever its offer changes).</summary>
[WireName("nodes.record-node-offer")]
internal sealed record RecordNodeOffer(string NodeId, string AkkaAddress, NodeOffer Offer) : INodeEntityMessage;

/// <summary>
/// Answers <see cref="RecordNodeOffer"/> once the offer is persisted (or was already the recorded one), with when the node was
/// first recorded: how long it has been on the network, across restarts.
/// </summary>
[WireName("nodes.node-offer-recorded-ack")]
internal sealed record NodeOfferRecordedAck(string NodeId, long Version, DateTimeOffset? Since = null);

/// <summary>Asks for a node's record.</summary>
[WireName("nodes.get-node-record")]
public sealed record GetNodeRecord(string NodeId) : INodeEntityMessage;

/// <summary>What the network knows of a node: its current offer and when it was first and last recorded. Version 0 = never seen.</summary>
[WireName("nodes.node-record")]
public sealed record NodeRecord(
    string NodeId,
    string? AkkaAddress,
    NodeOffer? Offer,
    DateTimeOffset? FirstRecorded,
    DateTimeOffset? LastRecorded,
    long Version);

/// <summary>Event: the node's offer changed (or was recorded for the first time).</summary>
[WireName("nodes.node-offer-recorded")]
public sealed record NodeOfferRecorded(string AkkaAddress, NodeOffer Offer, DateTimeOffset At);
