using System.Collections.Immutable;
using Naeural.Actors.Network;
using Naeural.Actors.Nodes;

namespace Naeural.Actors.Placement;

/// <summary>One candidate member for a shard: its gossiped heartbeat and the pipelines sharding has allocated to it.</summary>
public sealed record PlacementCandidate(NetworkNode Node, int Pipelines);

/// <summary>Where a pipeline goes, or why nowhere.</summary>
public sealed record PlacementChoice(NetworkNode? Node, string? Reason);

/// <summary>
/// The placement rules, pure. A node fits when it is reachable and <see cref="PlacementRequirements.Misfit"/> finds nothing;
/// among fitting nodes, of the two that rendezvous hashing ranks first, the lower <see cref="Score"/> wins (<see cref="Rank"/>). Rebalancing moves at most
/// <see cref="PlacementSettings.MaxMovesPerRebalance"/> pipelines per round, from the busiest node to the least busy one, only
/// while they differ by at least <see cref="PlacementSettings.RebalanceThreshold"/> and only pipelines that fit there.
/// </summary>
public static class PlacementPolicy
{
    /// <summary>
    /// Lower is better: the pipelines sharding has already put on the node (dominant, exact and instant), plus its CPU load
    /// (0–1 per core), plus its used memory share (0–1), minus up to 0.5 for seniority (time on the network since its node
    /// record was first kept, <see cref="NodeResources.Since"/>, capped at <see cref="PlacementSettings.SeniorAge"/>; until that
    /// is known, heartbeats since it started, capped at <see cref="PlacementSettings.SeniorHeartbeats"/>: a node that has been
    /// around is preferred over a newcomer). Load and memory come from the gossiped heartbeat, so they break near-ties rather than override the count.
    /// </summary>
    public static double Score(PlacementCandidate candidate, PlacementSettings settings)
    {
        var r = candidate.Node.Resources;
        var cpu = Math.Clamp(r.CpuLoad / Math.Max(1, r.Cores), 0, 1);
        var memoryUsed = r.TotalMemoryMb > 0 ? 1 - ((double)r.FreeMemoryMb / r.TotalMemoryMb) : 1;
        var seniority = r.Since is { } since
            ? Math.Clamp((r.UpdatedAt - since) / settings.SeniorAge, 0, 1)
            : Math.Min(1.0, (double)r.Sequence / settings.SeniorHeartbeats);
        return candidate.Pipelines + cpu + memoryUsed - (0.5 * seniority);
    }

    public static PlacementChoice Choose(string pipelineId, PlacementRequirements requirements, IReadOnlyList<PlacementCandidate> candidates, PlacementSettings settings) =>
        Rank(pipelineId, requirements, candidates, settings) is { Count: > 0 } ranked
            ? new PlacementChoice(ranked[0].Node, null)
            : new PlacementChoice(null, Refusal(pipelineId, requirements, candidates));

    /// <summary>
    /// The fitting candidates, best first: power of two choices over rendezvous hashing. The two fitting nodes that rank
    /// highest for the pipeline (<see cref="Rendezvous"/>: the same two on every member that sees the same nodes) are
    /// compared by <see cref="Score"/>; the lower goes first (a tie keeps the rendezvous order), then the rest in rendezvous
    /// order. No member is asked and nothing is written: any front door decides alone, and two front doors deciding at once
    /// spread their pipelines instead of piling them on one idle node.
    /// </summary>
    public static IReadOnlyList<PlacementCandidate> Rank(string pipelineId, PlacementRequirements requirements, IReadOnlyList<PlacementCandidate> candidates, PlacementSettings settings)
    {
        var owner = PlacementRequirements.OwnerOf(pipelineId);
        var fitting = candidates.Where(c => c.Node.Reachable && requirements.Misfit(c.Node.Resources, owner) is null);
        var ranked = Rendezvous.Rank(pipelineId, fitting, c => c.Node.Resources.NodeId).ToList();
        if (ranked.Count >= 2 && Score(ranked[1], settings) < Score(ranked[0], settings))
        {
            (ranked[0], ranked[1]) = (ranked[1], ranked[0]);
        }

        return ranked;
    }

    /// <summary>Why no candidate fits: each one's misfit, or that none is up.</summary>
    public static string Refusal(string pipelineId, PlacementRequirements requirements, IReadOnlyList<PlacementCandidate> candidates)
    {
        if (candidates.Count == 0)
        {
            return "no node is up";
        }

        var owner = PlacementRequirements.OwnerOf(pipelineId);
        var misfits = candidates
            .OrderBy(c => c.Node.Resources.NodeId, StringComparer.OrdinalIgnoreCase)
            .Select(c => (c.Node.Resources, Misfit: c.Node.Reachable ? requirements.Misfit(c.Node.Resources, owner) : "is unreachable"))
            .Where(c => c.Misfit is not null)
            .Select(c => $"{c.Resources.Alias} ({(c.Resources.NodeId.Length > 10 ? c.Resources.NodeId[..10] + "…" : c.Resources.NodeId)}) {c.Misfit}");
        return $"no node fits pipeline {pipelineId}: {string.Join("; ", misfits)}";
    }

    /// <summary>The pipelines to move this round (none while the spread is below the threshold; one whose requirements are unknown stays).</summary>
    public static ImmutableHashSet<string> Rebalance(
        IReadOnlyDictionary<string, ImmutableArray<string>> pipelinesByNode,
        IReadOnlyList<NetworkNode> nodes,
        Func<string, PlacementRequirements?> requirementsOf,
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
            .Where(p => requirementsOf(p)?.Misfit(idlest.Resources, PlacementRequirements.OwnerOf(p)) is null && requirementsOf(p) is not null)
            .Order(StringComparer.Ordinal)
            .Take(moves)
            .ToImmutableHashSet();
    }
}
