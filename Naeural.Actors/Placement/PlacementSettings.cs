namespace Naeural.Actors.Placement;

/// <summary>
/// Placement tuning. <see cref="Rebalance"/> is off by default with per-node (SQLite) stores: a moved pipeline recovers from
/// its replicas, but moving running pipelines for balance alone is left to shared persistence (PostgreSQL).
/// </summary>
public sealed record PlacementSettings
{
    public static PlacementSettings Default { get; } = new();

    public bool Rebalance { get; init; }

    /// <summary>Rebalance only while the busiest and the idlest node differ by at least this many pipelines.</summary>
    public int RebalanceThreshold { get; init; } = 3;

    /// <summary>At most this many pipelines move per rebalance round (Akka's rebalance-interval, 10 s): a join moves few.</summary>
    public int MaxMovesPerRebalance { get; init; } = 2;

    /// <summary>Time on the network after which a node counts as fully senior in the score.</summary>
    public TimeSpan SeniorAge { get; init; } = TimeSpan.FromHours(24);

    /// <summary>Heartbeats after which a node counts as fully senior in the score, while its first-recorded time is unknown.</summary>
    public int SeniorHeartbeats { get; init; } = 300;

    /// <summary>How long a front door waits for the node it chose to answer a create (the pipeline runs by then).</summary>
    public TimeSpan HostTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// The most creates no node fits yet that a front door keeps (each until placed, withdrawn by its owner's archive, or
    /// older than the command freshness window, when no node would take it): past that, a create is refused.
    /// </summary>
    public int MaxPending { get; init; } = 1_000;

    /// <summary>The most of those one owner may hold (so one stranger can't fill the front door for everyone).</summary>
    public int MaxPendingPerOwner { get; init; } = 100;
}
