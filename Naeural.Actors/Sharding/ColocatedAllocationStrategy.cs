using System.Collections.Immutable;
using Akka.Actor;
using Akka.Cluster.Sharding;
using Naeural.Actors.Placement;

namespace Naeural.Actors.Sharding;

/// <summary>
/// Keeps a pipeline's plugin instances on the pipeline's node. The plugin-instance region uses one shard per pipeline; a
/// shard goes where the <see cref="PlacementBoard"/> says the pipeline is (else to the node that first asks: only the
/// pipeline's own runner ever does), so frames never leave the process. When a pipeline moves (rebalance or failover),
/// its instances' shard is moved after it, a few per round.
/// </summary>
public sealed class ColocatedAllocationStrategy(ActorSystem system, PlacementBoard board) : IShardAllocationStrategy
{
    private const int MaxMovesPerRound = 10;

    public Task<IActorRef> AllocateShard(IActorRef requester, string shardId, IImmutableDictionary<IActorRef, IImmutableList<string>> currentShardAllocations)
    {
        var home = board.HomeOf(shardId);
        var region = home is null ? null : currentShardAllocations.Keys.FirstOrDefault(r => RegionAddress.Of(system, r) == home);
        return Task.FromResult(region ?? requester);
    }

    public Task<IImmutableSet<string>> Rebalance(IImmutableDictionary<IActorRef, IImmutableList<string>> currentShardAllocations, IImmutableSet<string> rebalanceInProgress)
    {
        var addresses = currentShardAllocations.Keys.Select(r => RegionAddress.Of(system, r)).ToHashSet();
        var strays = currentShardAllocations
            .SelectMany(a => a.Value.Select(shard => (Shard: shard, Address: RegionAddress.Of(system, a.Key))))
            .Where(s => !rebalanceInProgress.Contains(s.Shard) && board.HomeOf(s.Shard) is { } home && home != s.Address && addresses.Contains(home))
            .Select(s => s.Shard)
            .Take(MaxMovesPerRound);
        return Task.FromResult<IImmutableSet<string>>(strays.ToImmutableHashSet());
    }
}
