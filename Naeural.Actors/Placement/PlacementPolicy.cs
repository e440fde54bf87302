using System.Collections.Immutable;
using Naeural.Actors.Network;

namespace Naeural.Actors.Placement;

/// <summary>One candidate member for a shard: its gossiped heartbeat and the pipelines sharding has allocated to it.</summary>
public sealed record PlacementCandidate(NetworkNode Node, int Pipelines);

/// <summary>Where a pipeline goes, or why nowhere.</summary>
public sealed record PlacementChoice(NetworkNode? Node, string? Reason);

/// <summary>
/// The placement rules, pure. A node fits when it is reachable and <see cref="PlacementRequirements.Misfit"/> finds nothing;
/// among fitting nodes the lowest <see cref="Score"/> wins (ties: node id). Rebalancing moves at most
/// <see cref="PlacementSettings.MaxMovesPerRebalance"/> pipelines per round, from the busiest node to the least busy one, only
/// while they differ by at least <see cref="PlacementSettings.RebalanceThreshold"/> and only pipelines that fit there.
/// </summary>
public static class PlacementPolicy
{
    /// <summary>
    /// Lower is better: the pipelines sharding has already put on the node (dominant, exact and instant), plus its CPU load
    /// (0–1 per core), plus its used memory share (0–1), minus up to 0.5 for seniority (heartbeats published since it started,
    /// capped at <see cref="PlacementSettings.SeniorHeartbeats"/>: a node that has stayed up is preferred over one that just
    /// (re)joined). Load and memory come from the gossiped heartbeat, so they break near-ties rather than override the count.
    /// </summary>
    public static double Score(PlacementCandidate candidate, PlacementSettings settings)
    {
        var r = candidate.Node.Resources;
        var cpu = Math.Clamp(r.CpuLoad / Math.Max(1, r.Cores), 0, 1);
        var memoryUsed = r.TotalMemoryMb > 0 ? 1 - ((double)r.FreeMemoryMb / r.TotalMemoryMb) : 1;
        var seniority = Math.Min(1.0, (double)r.Sequence / settings.SeniorHeartbeats);
        return candidate.Pipelines + cpu + memoryUsed - (0.5 * seniority);
    }

    public static PlacementChoice Choose(string pipelineId, PlacementRequirements requirements, IReadOnlyList<PlacementCandidate> candidates, PlacementSettings settings)
    {
        if (candidates.Count == 0)
        {
            return new PlacementChoice(null, "no node is up");
        }

        var owner = PlacementRequirements.OwnerOf(pipelineId);
        var misfits = new List<string>();
        PlacementCandidate? best = null;
        var bestScore = double.MaxValue;
        foreach (var candidate in candidates.OrderBy(c => c.Node.Resources.NodeId, StringComparer.OrdinalIgnoreCase))
        {
            var misfit = candidate.Node.Reachable ? requirements.Misfit(candidate.Node.Resources, owner) : "is unreachable";
            if (misfit is not null)
            {
                var id = candidate.Node.Resources.NodeId;
                misfits.Add($"{candidate.Node.Resources.Alias} ({(id.Length > 10 ? id[..10] + "…" : id)}) {misfit}");
                continue;
            }

            var score = Score(candidate, settings);
            if (score < bestScore)
            {
                (best, bestScore) = (candidate, score);
            }
        }

        return best is not null
            ? new PlacementChoice(best.Node, null)
            : new PlacementChoice(null, $"no node fits pipeline {pipelineId}: {string.Join("; ", misfits)}");
    }

    /// <summary>The pipelines to move this round (none while the spread is below the threshold).</summary>
    public static ImmutableHashSet<string> Rebalance(
        IReadOnlyDictionary<string, ImmutableArray<string>> pipelinesByNode,
        IReadOnlyList<NetworkNode> nodes,
        Func<string, PlacementRequirements> requirementsOf,
        PlacementSettings settings)
    {
        var live = nodes.Where(n => n.Reachable && pipelinesByNode.ContainsKey(n.Resources.NodeId)).ToList();
        if (live.Count < 2)
        {
            return [];
        }

        var busiest = live.MaxBy(n => pipelinesByNode[n.Resources.NodeId].Length)!;
        var idlest = live.MinBy(n => pipelinesByNode[n.Resources.NodeId].Length)!;
        var spread = pipelinesByNode[busiest.Resources.NodeId].Length - pipelinesByNode[idlest.Resources.NodeId].Length;
        if (spread < settings.RebalanceThreshold)
        {
            return [];
        }

        var moves = Math.Min(settings.MaxMovesPerRebalance, spread / 2);
        return pipelinesByNode[busiest.Resources.NodeId]
            .Where(p => requirementsOf(p).Misfit(idlest.Resources, PlacementRequirements.OwnerOf(p)) is null)
            .Order(StringComparer.Ordinal)
            .Take(moves)
            .ToImmutableHashSet();
    }
}
