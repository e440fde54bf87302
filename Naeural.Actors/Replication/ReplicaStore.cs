using System.Collections.Concurrent;
using System.Collections.Immutable;
using Naeural.Actors.Payloads;

namespace Naeural.Actors.Replication;

/// <summary>
/// What one member holds of other members' pipelines: their owner-signed history and the payloads their hosts have not seen
/// acknowledged yet. Only <see cref="PipelineReplica"/> writes it, after its checks; stores keep it durable (the Host's
/// SQLite store) or in memory (tests).
/// </summary>
public abstract class ReplicaStore
{
    /// <summary>Adds entries whose version and nonce are both new for the pipeline; returns how many it holds now.</summary>
    public abstract int AddHistory(string pipelineId, IReadOnlyList<HistoryEntry> entries, Func<HistoryEntry, string> nonceOf);

    public abstract ImmutableArray<HistoryEntry> History(string pipelineId);

    /// <summary>Adds payloads not held yet (a held sequence number is never overwritten), drops those acknowledged.</summary>
    public abstract long AddPayloads(string pipelineId, long acknowledgedUpTo, IReadOnlyList<PayloadDelivered> payloads);

    public abstract (ImmutableArray<PayloadDelivered> Payloads, long Acknowledged, long Last) Payloads(string pipelineId);

    /// <summary>
    /// The payloads numbered above <paramref name="after"/>, in order, up to about <paramref name="maxBytes"/> of signed text
    /// (at least one when any is held), and whether more are held beyond them.
    /// </summary>
    public abstract (ImmutableArray<PayloadDelivered> Payloads, bool More) Page(string pipelineId, long after, int maxBytes);

    /// <summary>The acknowledged floor and the highest number held for the pipeline, without reading its payloads.</summary>
    public abstract (long Acknowledged, long Last) Head(string pipelineId);

    /// <summary>Every pipeline held.</summary>
    public abstract IReadOnlyList<string> Pipelines();

    /// <summary>Forgets a pipeline (archived, or no longer in this member's replica set).</summary>
    public abstract void Drop(string pipelineId);
}

/// <summary>A <see cref="ReplicaStore"/> in memory: for tests and nodes without a data folder.</summary>
public sealed class MemoryReplicaStore : ReplicaStore
{
    private readonly ConcurrentDictionary<string, Held> _held = new(StringComparer.Ordinal);

    public override int AddHistory(string pipelineId, IReadOnlyList<HistoryEntry> entries, Func<HistoryEntry, string> nonceOf)
    {
        var held = _held.GetOrAdd(pipelineId, _ => new Held());
        lock (held)
        {
            foreach (var entry in entries)
            {
                if (!held.History.ContainsKey(entry.Version) && held.Nonces.Add(nonceOf(entry)))
                {
                    held.History[entry.Version] = entry;
                }
            }

            return held.History.Count;
        }
    }

    public override ImmutableArray<HistoryEntry> History(string pipelineId)
    {
        if (!_held.TryGetValue(pipelineId, out var held))
        {
            return [];
        }

        lock (held)
        {
            return [.. held.History.Values];
        }
    }

    public override long AddPayloads(string pipelineId, long acknowledgedUpTo, IReadOnlyList<PayloadDelivered> payloads)
    {
        var held = _held.GetOrAdd(pipelineId, _ => new Held());
        lock (held)
        {
            held.Acknowledged = Math.Max(held.Acknowledged, acknowledgedUpTo);
            foreach (var payload in payloads)
            {
                held.Last = Math.Max(held.Last, payload.Sequence);
                if (payload.Sequence > held.Acknowledged)
                {
                    held.Payloads.TryAdd(payload.Sequence, payload);
                }
            }

            foreach (var acknowledged in held.Payloads.Keys.TakeWhile(s => s <= held.Acknowledged).ToList())
            {
                held.Payloads.Remove(acknowledged);
            }

            return held.Last;
        }
    }

    public override (ImmutableArray<PayloadDelivered> Payloads, long Acknowledged, long Last) Payloads(string pipelineId)
    {
        if (!_held.TryGetValue(pipelineId, out var held))
        {
            return ([], 0, 0);
        }

        lock (held)
        {
            return ([.. held.Payloads.Values], held.Acknowledged, held.Last);
        }
    }

    public override (ImmutableArray<PayloadDelivered> Payloads, bool More) Page(string pipelineId, long after, int maxBytes)
    {
        if (!_held.TryGetValue(pipelineId, out var held))
        {
            return ([], false);
        }

        lock (held)
        {
            var page = ImmutableArray.CreateBuilder<PayloadDelivered>();
            var bytes = 0L;
            foreach (var payload in held.Payloads.Values.Where(p => p.Sequence > after))
            {
                if (page.Count > 0 && bytes + payload.SignedJson.Length > maxBytes)
                {
                    return (page.ToImmutable(), true);
                }

                page.Add(payload);
                bytes += payload.SignedJson.Length;
            }

            return (page.ToImmutable(), false);
        }
    }

    public override (long Acknowledged, long Last) Head(string pipelineId)
    {
        if (!_held.TryGetValue(pipelineId, out var held))
        {
            return (0, 0);
        }

        lock (held)
        {
            return (held.Acknowledged, held.Last);
        }
    }

    public override IReadOnlyList<string> Pipelines() => [.. _held.Keys];

    public override void Drop(string pipelineId) => _held.TryRemove(pipelineId, out _);

    private sealed class Held
    {
        public SortedDictionary<long, HistoryEntry> History { get; } = [];

        public HashSet<string> Nonces { get; } = new(StringComparer.Ordinal);

        public SortedDictionary<long, PayloadDelivered> Payloads { get; } = [];

        public long Acknowledged { get; set; }

        public long Last { get; set; }
    }
}
