using System.Collections.Immutable;
using Akka.Actor;
using Akka.Cluster.Sharding;
using Naeural.Actors.Network;
using Naeural.Actors.Placement;

namespace Naeural.Actors.Jobs;

/// <summary>
/// Places job shares (one shard each, id <c>{owner}/{name}#{index}</c>): on the member holding the fewest shares of the same
/// job, then the fewest shares at all, then by address, among members the gossiped network view shows reachable and allowing
/// the job's owner; so a job's N shares land on N distinct nodes when there are N. Decisions not yet visible in sharding's
/// allocations are counted too (the coordinator allocates several shards at once). No fitting member: no region (sharding
/// retries). Never rebalances: a share runs where it started, or again elsewhere when its node is gone.
/// </summary>
public sealed class ShareSpreadAllocationStrategy(ActorSystem system, IActorRef networkView) : IShardAllocationStrategy
{
    private static readonly TimeSpan ViewTimeout = TimeSpan.FromSeconds(3);
    private readonly object _gate = new();
    private ImmutableDictionary<string, string> _decided = ImmutableDictionary<string, string>.Empty;

    public async Task<IActorRef> AllocateShard(IActorRef requester, string shardId, IImmutableDictionary<IActorRef, IImmutableList<string>> currentShardAllocations)
    {
        NetworkSnapshot? view;
        try
        {
            view = await networkView.Ask<NetworkSnapshot>(GetNodes.Instance, ViewTimeout);
        }
        catch (Exception e) when (e is AskTimeoutException or TaskCanceledException)
        {
            return null!; // sharding asks again
        }

        var owner = shardId[..Math.Max(0, shardId.IndexOf('/'))];
        var job = JobOf(shardId);
        var fitting = view.Nodes.Where(n => n.Reachable && n.Resources.Allows(owner)).Select(n => n.Resources.AkkaAddress).ToHashSet();
        lock (_gate)
        {
            var allocated = currentShardAllocations.SelectMany(a => a.Value).ToHashSet();
            _decided = _decided.RemoveRange(_decided.Keys.Where(allocated.Contains));
            var shards = currentShardAllocations.ToDictionary(a => RegionAddress.Of(system, a.Key), a => a.Value.ToList());
            foreach (var (shard, address) in _decided.Where(d => d.Key != shardId))
            {
                if (shards.TryGetValue(address, out var list))
                {
                    list.Add(shard);
                }
            }

            var best = currentShardAllocations.Keys
                .Select(region => (Region: region, Address: RegionAddress.Of(system, region)))
                .Where(r => fitting.Contains(r.Address))
                .OrderBy(r => shards[r.Address].Count(s => JobOf(s) == job))
                .ThenBy(r => shards[r.Address].Count)
                .ThenBy(r => r.Address, StringComparer.Ordinal)
                .FirstOrDefault();
            if (best.Region is null)
            {
                return null!;
            }

            _decided = _decided.SetItem(shardId, best.Address);
            return best.Region;
        }
    }

    public Task<IImmutableSet<string>> Rebalance(IImmutableDictionary<IActorRef, IImmutableList<string>> currentShardAllocations, IImmutableSet<string> rebalanceInProgress) =>
        Task.FromResult<IImmutableSet<string>>(ImmutableHashSet<string>.Empty);

    private static string JobOf(string shardId) => shardId[..Math.Max(0, shardId.LastIndexOf('#'))];
}

/// <summary>
/// Places a job's own entity (one shard per job) on the member whose front door took its command, which allows the owner;
/// when the requester is not a region (sharding re-allocating on its own), on the region with the fewest jobs. Never rebalances.
/// </summary>
public sealed class RequesterAllocationStrategy : IShardAllocationStrategy
{
    public Task<IActorRef> AllocateShard(IActorRef requester, string shardId, IImmutableDictionary<IActorRef, IImmutableList<string>> currentShardAllocations) =>
        Task.FromResult(currentShardAllocations.ContainsKey(requester)
            ? requester
            : currentShardAllocations.OrderBy(a => a.Value.Count).Select(a => a.Key).FirstOrDefault() ?? requester);

    public Task<IImmutableSet<string>> Rebalance(IImmutableDictionary<IActorRef, IImmutableList<string>> currentShardAllocations, IImmutableSet<string> rebalanceInProgress) =>
        Task.FromResult<IImmutableSet<string>>(ImmutableHashSet<string>.Empty);
}

/// <summary>Jobs: entity id = shard id = job id.</summary>
public sealed class JobMessageExtractor : IMessageExtractor
{
    public string? EntityId(object message) => (message as IJobMessage)?.JobId;

    public object? EntityMessage(object message) => message;

    public string? ShardId(object message) => (message as IJobMessage)?.JobId;

    public string ShardId(string entityId, object? messageHint = null) => entityId;
}

/// <summary>Job shares: entity id = shard id = share id, so each share is placed on its own.</summary>
public sealed class JobShareMessageExtractor : IMessageExtractor
{
    public string? EntityId(object message) => (message as IJobShareMessage)?.ShareId;

    public object? EntityMessage(object message) => message;

    public string? ShardId(object message) => (message as IJobShareMessage)?.ShareId;

    public string ShardId(string entityId, object? messageHint = null) => entityId;
}
