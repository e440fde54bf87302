namespace Naeural.Actors.Payloads;

/// <summary>
/// How many payloads this node's outboxes have persisted since it started: one per node, handed to every outbox through
/// <see cref="Pipelines.PipelineServices"/> and read by the resource publisher, which gossips it in the node's heartbeat.
/// Thread-safe: outboxes add from their own actors.
/// </summary>
public sealed class PayloadCounter
{
    private long _total;

    /// <summary>Payloads persisted so far.</summary>
    public long Total => Interlocked.Read(ref _total);

    public void Add(int count) => Interlocked.Add(ref _total, count);
}
