using System.Collections.Immutable;
using Naeural.Actors.Payloads;

namespace Naeural.Actors.Replication;

/// <summary>
/// Merges what several replicas hold of one pipeline, keeping only what holds on its own: history entries the check accepts
/// (owner-signed), one per version, and payloads whose signature holds, one per sequence number (all of them: a replica's
/// acknowledged floor is its own claim, so it prunes nothing here; a subscriber drops what it already has). The last number
/// used is the highest of the payloads that hold (replicas always keep their highest payload for this), never a bare claim:
/// a replica can't push numbering ahead. Pure.
/// </summary>
public static class ReplicaMerge
{
    public static ReplicaContent Merge(string pipelineId, IEnumerable<ReplicaContent> contents, Func<HistoryEntry, bool> entryHolds, Func<PayloadDelivered, bool> payloadHolds)
    {
        var history = new SortedDictionary<long, HistoryEntry>();
        var payloads = new SortedDictionary<long, PayloadDelivered>();
        long acknowledged = 0, last = 0;
        foreach (var content in contents)
        {
            foreach (var entry in content.History.IsDefault ? [] : content.History)
            {
                if (entry is not null && !history.ContainsKey(entry.Version) && entryHolds(entry))
                {
                    history[entry.Version] = entry;
                }
            }

            acknowledged = Math.Max(acknowledged, content.AcknowledgedUpTo);
            foreach (var payload in content.Payloads.IsDefault ? [] : content.Payloads)
            {
                if (payload is not null && payload.PipelineId == pipelineId && !payloads.ContainsKey(payload.Sequence) && payloadHolds(payload))
                {
                    payloads[payload.Sequence] = payload;
                    last = Math.Max(last, payload.Sequence);
                }
            }
        }

        return new ReplicaContent(pipelineId, [.. history.Values], [.. payloads.Values], acknowledged, last);
    }
}
