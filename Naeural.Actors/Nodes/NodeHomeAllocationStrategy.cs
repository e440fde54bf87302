using System.Collections.Immutable;
using Akka.Actor;
using Akka.Cluster.Sharding;
using Naeural.Actors.Placement;
using Naeural.Actors.Security;

namespace Naeural.Actors.Nodes;

/// <summary>
/// Puts each node's shard (shard id = node id) on that node: the region at the member address the node has proven (the
/// verified heartbeats on the <see cref="PlacementBoard"/>). A node not proven yet waits up to 10 s for its proof, then gets no
/// region (a failed allocation, which sharding retries, keeping the message), and the node's own publisher records its offer again at its next heartbeat. So no other member can hold
/// a node's record, whoever asks first. A shard found elsewhere (the node came back at another address) is moved home.
/// </summary>
public sealed class NodeHomeAllocationStrategy(ActorSystem system, PlacementBoard board) : IShardAllocationStrategy
{
    private static readonly TimeSpan ProofWait = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(100);

    public async Task<IActorRef> AllocateShard(IActorRef requester, string shardId, IImmutableDictionary<IActorRef, IImmutableList<string>> currentShardAllocations)
    {
        // A node asks for its own record as it starts, before the coordinator's node has seen its address proven: the answer
        // waits (off the coordinator's thread) until it has; only a node still unproven after that fails (sharding retries).
        for (var waited = TimeSpan.Zero; ; waited += Poll)
        {
            if (HomeOf(shardId, currentShardAllocations) is { } home)
            {
                return home;
            }

            if (waited >= ProofWait)
            {
                throw new InvalidOperationException($"node {shardId} has not proven its member address within {ProofWait.TotalSeconds:0} s");
            }

            await Task.Delay(Poll);
        }
    }

    public Task<IImmutableSet<string>> Rebalance(IImmutableDictionary<IActorRef, IImmutableList<string>> currentShardAllocations, IImmutableSet<string> rebalanceInProgress) =>
        Task.FromResult<IImmutableSet<string>>(currentShardAllocations
            .SelectMany(a => a.Value.Select(shard => (Shard: shard, Region: a.Key)))
            .Where(s => !rebalanceInProgress.Contains(s.Shard) && HomeOf(s.Shard, currentShardAllocations) is { } home && !home.Equals(s.Region))
            .Select(s => s.Shard)
            .ToImmutableHashSet());

    private IActorRef? HomeOf(string nodeId, IImmutableDictionary<IActorRef, IImmutableList<string>> regions) =>
        board.Nodes.FirstOrDefault(n => AccountAddress.Same(n.Resources.NodeId, nodeId))?.Resources.AkkaAddress is { } address
            ? regions.Keys.FirstOrDefault(r => RegionAddress.Of(system, r) == address)
            : null;
}
