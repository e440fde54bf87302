namespace Naeural.Actors.Network;

/// <summary>
/// How often a node republishes its heartbeat, and the network id its heartbeats and address proofs are signed in
/// (<see cref="HeartbeatSigning"/>): nodes of one network must use the same.
/// </summary>
public sealed record GossipSettings(TimeSpan HeartbeatInterval)
{
    public static GossipSettings Default { get; } = new(TimeSpan.FromSeconds(2));

    /// <summary>The network id in every signed heartbeat (the node's <c>--network-id</c>).</summary>
    public string NetworkId { get; init; } = HeartbeatSigning.DefaultNetwork;
}
