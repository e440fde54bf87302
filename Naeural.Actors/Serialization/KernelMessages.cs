using Naeural.Actors.Network;
using Naeural.Actors.Nodes;

namespace Naeural.Actors.Serialization;

/// <summary>The kernel's messages, events and replicated values: the part of the serializer allow-list the kernel contributes.</summary>
public static class KernelMessages
{
    public static IReadOnlyList<Type> Types { get; } =
    [
        // Node entity: commands, replies, events, snapshots.
        typeof(RecordNodeOffer), typeof(NodeOfferRecordedAck), typeof(GetNodeRecord), typeof(NodeRecord),
        typeof(NodeOfferRecorded), typeof(NodeOffer),
        // Network view: the replicated heartbeat and the queries on it.
        typeof(NodeResources), typeof(GpuInfo), typeof(GetNodes), typeof(NetworkSnapshot), typeof(NetworkNode),
    ];
}
