namespace Naeural.Actors.Network;

/// <summary>How often a node republishes its heartbeat, and how long a recorded offer is retried while sharding starts.</summary>
public sealed record GossipSettings(TimeSpan HeartbeatInterval)
{
    public static GossipSettings Default { get; } = new(TimeSpan.FromSeconds(2));
}
