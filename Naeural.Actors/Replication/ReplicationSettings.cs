namespace Naeural.Actors.Replication;

/// <summary>How pipelines are replicated over the members' own stores.</summary>
public sealed record ReplicationSettings
{
    public static ReplicationSettings Default { get; } = new();

    /// <summary>Members that hold each pipeline (its host among them when it ranks there): one can be lost without losing it.</summary>
    public int Copies { get; init; } = 3;

    /// <summary>
    /// About how many bytes of signed payloads one answer to a replica read carries (well under the message cap: a pipeline may
    /// hold thousands of unacknowledged payloads, read page by page).
    /// </summary>
    public int ReadPageBytes { get; init; } = 1024 * 1024;

    /// <summary>How long a replica waits for another member's answer.</summary>
    public TimeSpan AskTimeout { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>How often a member looks for held pipelines that no live member runs.</summary>
    public TimeSpan SweepInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How long the membership must be still before a member that came up less than five times this long ago wakes pipelines
    /// (a restarting network gathers first).
    /// </summary>
    public TimeSpan SettleTime { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// A held pipeline is woken at most this often by one member (a wake that reaches sharding before it has let go of a lost
    /// member's shards goes nowhere, so the next one must come soon).
    /// </summary>
    public TimeSpan WakeInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// How long a pipeline a live member has just shared (no heartbeat lists it yet: a new pipeline, heartbeats lagging) is not
    /// taken for lost. Bounded, so a member that shares and never runs it delays its wake by this much at most; a pipeline
    /// whose writer is gone is woken at once.
    /// </summary>
    public TimeSpan NewPipelineGrace { get; init; } = TimeSpan.FromSeconds(30);
}
