using System.Collections.Immutable;
using Akka.Actor;
using Akka.Cluster;
using Akka.Cluster.Sharding;

namespace Naeural.Actors.Placement;

/// <summary>
/// Allocates a pipeline's shard (one per pipeline) to the region that asks for it: the home a front door chose by
/// <see cref="PlacementPolicy.Rank"/> from its own gossiped view asks first, because that front door handed the create to
/// it (<see cref="HostPipeline"/>), and a lost pipeline's new home asks first because a replica holder woke it there
/// (<see cref="WakePipeline"/>). So the decision is taken where the command came in, never here: no ask, no write, O(1)
/// per shard, like Akka's own strategies. A shard a rebalance moved goes to its target (a node that was handed a create
/// that does not fit it gives the shard up: <see cref="ShardMisplaced"/>; the next rebalance moves it, whatever the setting); a request that is not from a
/// region (sharding re-allocating on its own) goes to the region with the fewest shards. Rebalancing (with a store every
/// member reads, see <see cref="PlacementSettings.Rebalance"/>) moves a bounded few, only pipelines whose requirements this
/// node knows, from the busiest to the idlest node that fits.
/// </summary>
public sealed class PipelineAllocationStrategy(ActorSystem system, PlacementBoard board, PlacementSettings settings) : IShardAllocationStrategy
{
    public Task<IActorRef> AllocateShard(IActorRef requester, string shardId, IImmutableDictionary<IActorRef, IImmutableList<string>> currentShardAllocations)
    {
        var target = board.TargetOf(shardId) is { } address
            ? currentShardAllocations.Keys.FirstOrDefault(r => RegionAddress.Of(system, r) == address)
            : null;
        // Two regions can ask for one shard before the coordinator applied the first answer (it keeps the first and ignores
        // the next): every answer for a shard is the first one while that region lives, so the board, which the plugin
        // instances' strategy follows, never names a home the pipeline does not have.
        var decided = target is null && board.HomeOf(shardId) is { } home
            ? currentShardAllocations.Keys.FirstOrDefault(r => RegionAddress.Of(system, r) == home)
            : null;
        var region = target
                     ?? decided
                     ?? (currentShardAllocations.ContainsKey(requester) ? requester : null)
                     ?? currentShardAllocations.OrderBy(a => a.Value.Count).Select(a => a.Key).FirstOrDefault()
                     ?? requester;
        board.Reached(shardId);
        board.Record(shardId, RegionAddress.Of(system, region));
        return Task.FromResult(region);
    }

    public Task<IImmutableSet<string>> Rebalance(IImmutableDictionary<IActorRef, IImmutableList<string>> currentShardAllocations, IImmutableSet<string> rebalanceInProgress)
    {
        var byAddress = currentShardAllocations.ToImmutableDictionary(a => RegionAddress.Of(system, a.Key), a => a.Value.ToImmutableArray());
        board.Update(byAddress.SelectMany(a => a.Value.Select(shard => (shard, a.Key))));
        if (rebalanceInProgress.Count > 0)
        {
            return Task.FromResult<IImmutableSet<string>>(ImmutableHashSet<string>.Empty);
        }

        // Shards a node gave up (a create did not fit it) move to the home chosen for them, whatever the rebalance setting.
        var regions = byAddress.Keys.ToHashSet();
        var misplaced = board.Misplaced().Where(p => board.TargetOf(p) is { } target && regions.Contains(target)).Take(settings.MaxMovesPerRebalance * 5).ToImmutableHashSet();
        if (!misplaced.IsEmpty)
        {
            return Task.FromResult<IImmutableSet<string>>(misplaced);
        }

        if (!settings.Rebalance)
        {
            return Task.FromResult<IImmutableSet<string>>(ImmutableHashSet<string>.Empty);
        }

        var nodes = board.Nodes;
        var addressOf = nodes.ToDictionary(n => n.Resources.NodeId, n => n.Resources.AkkaAddress);
        var byNode = nodes
            .Where(n => byAddress.ContainsKey(n.Resources.AkkaAddress))
            .ToDictionary(n => n.Resources.NodeId, n => byAddress[n.Resources.AkkaAddress]);
        var moves = PlacementPolicy.Rebalance(byNode, nodes, id => board.RequirementsOf(id), settings);
        if (moves.IsEmpty)
        {
            return Task.FromResult<IImmutableSet<string>>(ImmutableHashSet<string>.Empty);
        }

        var idlest = byNode.MinBy(n => n.Value.Length).Key;
        foreach (var pipelineId in moves)
        {
            board.Target(pipelineId, addressOf[idlest]);
        }

        return Task.FromResult<IImmutableSet<string>>(moves);
    }
}

/// <summary>The akka address (as gossiped in heartbeats) of a shard region, local or remote.</summary>
public static class RegionAddress
{
    public static string Of(ActorSystem system, IActorRef region) =>
        (region.Path.Address.HasGlobalScope ? region.Path.Address : Cluster.Get(system).SelfAddress).ToString();
}
