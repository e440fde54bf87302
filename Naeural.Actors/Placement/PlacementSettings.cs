namespace Naeural.Actors.Placement;

/// <summary>
/// Placement tuning. <see cref="Rebalance"/> is off with per-node (SQLite) persistence: a moved pipeline could not take its
/// state along, so pipelines only move when shared persistence (PostgreSQL) lets them.
/// </summary>
public sealed record PlacementSettings
{
    public static PlacementSettings Default { get; } = new();

    public bool Rebalance { get; init; }

    /// <summary>Rebalance only while the busiest and the idlest node differ by at least this many pipelines.</summary>
    public int RebalanceThreshold { get; init; } = 3;

    /// <summary>At most this many pipelines move per rebalance round (Akka's rebalance-interval, 10 s): a join moves few.</summary>
    public int MaxMovesPerRebalance { get; init; } = 2;

    /// <summary>Heartbeats after which a node counts as fully senior in the score.</summary>
    public int SeniorHeartbeats { get; init; } = 300;

    /// <summary>How long the allocation strategy waits for the advisor before leaving a shard pending (retried).</summary>
    public TimeSpan DecisionTimeout { get; init; } = TimeSpan.FromSeconds(5);
}
