using System.Collections.Immutable;
using Akka.Actor;
using Akka.Cluster;
using Akka.Cluster.Sharding;

namespace Naeural.Actors.Placement;

/// <summary>
/// Places pipeline shards (one per pipeline) with this node's <see cref="PlacementAdvisor"/>: only on members that fit the
/// pipeline's requirements and allow its owner, by <see cref="PlacementPolicy.Score"/>. When nothing fits, the allocation
/// answers no region: sharding keeps the pipeline's messages buffered and asks again every retry interval, so it is placed
/// as soon as a fitting node joins. Rebalancing is bounded (<see cref="PlacementSettings.MaxMovesPerRebalance"/>).
/// </summary>
public sealed class ResourceAwareAllocationStrategy(ActorSystem system, IActorRef advisor, PlacementBoard board, PlacementSettings settings)
    : IShardAllocationStrategy
{
    public async Task<IActorRef> AllocateShard(IActorRef requester, string shardId, IImmutableDictionary<IActorRef, IImmutableList<string>> currentShardAllocations)
    {
        var regions = currentShardAllocations.Keys.ToDictionary(AddressOf);
        try
        {
            var chosen = await advisor.Ask<HomeChosen>(
                new ChooseHome(shardId, regions.ToImmutableDictionary(r => r.Key, r => currentShardAllocations[r.Value].Count)),
                settings.DecisionTimeout);
            if (chosen.Address is { } address && regions.TryGetValue(address, out var region))
            {
                board.Record(shardId, address);
                return region;
            }
        }
        catch (AskTimeoutException)
        {
            // The advisor was slow: leave the shard unallocated, sharding asks again.
        }

        return null!; // no fitting node yet: sharding retries (its coordinator treats a null region as "retry later")
    }

    public async Task<IImmutableSet<string>> Rebalance(IImmutableDictionary<IActorRef, IImmutableList<string>> currentShardAllocations, IImmutableSet<string> rebalanceInProgress)
    {
        var byAddress = currentShardAllocations.ToImmutableDictionary(a => AddressOf(a.Key), a => a.Value.ToImmutableArray());
        board.Update(byAddress.SelectMany(a => a.Value.Select(shard => (shard, a.Key))));
        if (rebalanceInProgress.Count > 0)
        {
            return ImmutableHashSet<string>.Empty;
        }

        try
        {
            return (await advisor.Ask<RebalanceChosen>(new ChooseRebalance(byAddress), settings.DecisionTimeout)).PipelineIds;
        }
        catch (AskTimeoutException)
        {
            return ImmutableHashSet<string>.Empty;
        }
    }

    private string AddressOf(IActorRef region) => RegionAddress.Of(system, region);
}

/// <summary>The akka address (as gossiped in heartbeats) of a shard region, local or remote.</summary>
public static class RegionAddress
{
    public static string Of(ActorSystem system, IActorRef region) =>
        (region.Path.Address.HasGlobalScope ? region.Path.Address : Cluster.Get(system).SelfAddress).ToString();
}
