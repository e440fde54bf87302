namespace Naeural.Actors.Replication;

/// <summary>
/// When a member wakes a pipeline it holds (a sweep's decision, taken per pipeline): one that no verified heartbeat lists
/// is woken at once and then every <see cref="ReplicationSettings.WakeInterval"/>, each time on the next home ranked for it
/// (a home that drops wakes can't hold it); one a heartbeat lists is checked now and then anyway
/// (<see cref="ReplicationSettings.WakeInterval"/> × 15), in case the heartbeat lies. A new pipeline is listed as soon as
/// it runs: when the member that shared it with this one is the one whose heartbeat lists it, the first check comes that
/// long after (waking it at once would only ask sharding for a pipeline that runs); listed first by anyone else (a restart,
/// or a member claiming what it may not run) it is checked at once.
/// </summary>
public static class WakeSchedule
{
    /// <summary>When the pipeline was last woken (or first seen running), and how many wakes found no home since.</summary>
    public readonly record struct Mark(DateTimeOffset At, int Attempts);

    /// <param name="last">The pipeline's mark, null while this member has neither woken it nor seen it running.</param>
    /// <param name="listed">Listed by some verified heartbeat.</param>
    /// <param name="listedByItsWriter">Listed by the heartbeat of the member that shared the pipeline with this one.</param>
    /// <returns>Whether to wake it now, which ranked home to try (0: the best), and its mark from now on (null: unchanged).</returns>
    public static (bool Wake, int Attempt, Mark? Next) Decide(Mark? last, bool listed, bool listedByItsWriter, DateTimeOffset now, ReplicationSettings settings)
    {
        if (listed && listedByItsWriter && last is null)
        {
            return (false, 0, new Mark(now, 0));
        }

        var (at, attempts) = last ?? new Mark(DateTimeOffset.MinValue, 0);
        if (now - at < (listed ? settings.WakeInterval * 15 : settings.WakeInterval))
        {
            return (false, 0, null);
        }

        return (true, listed ? 0 : attempts, new Mark(now, listed ? 0 : attempts + 1));
    }
}
