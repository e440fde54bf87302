using System.Collections.Immutable;
using Akka.Actor;
using Akka.Cluster.Sharding;

namespace Naeural.Actors.Sharding;

/// <summary>
/// Puts a shard on the node that first asks for it, and never moves it. The plugin-instance region uses one shard per
/// pipeline, and only the pipeline's own runner ever sends to it, so a pipeline's instances run on the pipeline's node and
/// frames never leave the process. When that node dies, the shard is re-allocated to whoever asks next: the pipeline,
/// restarted elsewhere.
/// </summary>
public sealed class ColocatedAllocationStrategy : IShardAllocationStrategy
{
    public Task<IActorRef> AllocateShard(IActorRef requester, string shardId, IImmutableDictionary<IActorRef, IImmutableList<string>> currentShardAllocations) =>
        Task.FromResult(requester);

    public Task<IImmutableSet<string>> Rebalance(IImmutableDictionary<IActorRef, IImmutableList<string>> currentShardAllocations, IImmutableSet<string> rebalanceInProgress) =>
        Task.FromResult<IImmutableSet<string>>(ImmutableHashSet<string>.Empty);
}
