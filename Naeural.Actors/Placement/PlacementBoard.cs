using System.Collections.Immutable;
using Naeural.Actors.Network;
using Naeural.Actors.Security;

namespace Naeural.Actors.Placement;

/// <summary>
/// What this node's allocation strategies read without asking anyone (they run inside sharding's coordinators, on the
/// oldest member, on other threads): where the pipeline shards are (pipeline id → akka address, from sharding's own
/// allocations), the network as this node's advisor last saw it, and the requirements of the pipelines this node knows
/// (placed by its front door, hosted or held as a replica here). All swapped atomically.
/// </summary>
public sealed class PlacementBoard
{
    private ImmutableDictionary<string, string> _homes = ImmutableDictionary<string, string>.Empty;
    private ImmutableDictionary<string, string> _targets = ImmutableDictionary<string, string>.Empty;
    private ImmutableDictionary<string, PlacementRequirements> _requirements = ImmutableDictionary<string, PlacementRequirements>.Empty;
    private ImmutableArray<NetworkNode> _nodes = [];

    public string? HomeOf(string pipelineId) => Volatile.Read(ref _homes).GetValueOrDefault(pipelineId);

    public void Record(string pipelineId, string address) =>
        ImmutableInterlocked.AddOrUpdate(ref _homes, pipelineId, address, (_, _) => address);

    /// <summary>Brings the picture in line with sharding's own current allocations.</summary>
    public void Update(IEnumerable<(string PipelineId, string Address)> homes) =>
        ImmutableInterlocked.Update(ref _homes, current => current.SetItems(homes.Select(h => KeyValuePair.Create(h.PipelineId, h.Address))));

    /// <summary>The live nodes as this node's advisor last saw them (verified heartbeats, reachability).</summary>
    public ImmutableArray<NetworkNode> Nodes
    {
        get => ImmutableInterlocked.InterlockedCompareExchange(ref _nodes, default, default) is var nodes && nodes.IsDefault ? [] : nodes;
        set => ImmutableInterlocked.InterlockedExchange(ref _nodes, value);
    }

    /// <summary>
    /// Why a pipeline with <paramref name="requirements"/> does not fit the node <paramref name="nodeId"/> by that node's own
    /// latest verified heartbeat on the board; null when it fits, or when the board has not seen that heartbeat yet.
    /// </summary>
    public string? MisfitOf(string nodeId, PlacementRequirements requirements, string owner) =>
        Nodes.FirstOrDefault(n => AccountAddress.Same(n.Resources.NodeId, nodeId)) is { } node
            ? requirements.Misfit(node.Resources, owner)
            : null;

    /// <summary>The pipelines a rebalance should move: a target is set and sharding has the shard at another address.</summary>
    public IEnumerable<string> Misplaced()
    {
        var homes = Volatile.Read(ref _homes);
        return Volatile.Read(ref _targets).Where(t => homes.TryGetValue(t.Key, out var home) && home != t.Value).Select(t => t.Key);
    }

    public PlacementRequirements? RequirementsOf(string pipelineId) => Volatile.Read(ref _requirements).GetValueOrDefault(pipelineId);

    public void Know(string pipelineId, PlacementRequirements requirements) =>
        ImmutableInterlocked.AddOrUpdate(ref _requirements, pipelineId, requirements, (_, _) => requirements);

    public void Forget(string pipelineId)
    {
        ImmutableInterlocked.TryRemove(ref _requirements, pipelineId, out _);
        ImmutableInterlocked.TryRemove(ref _targets, pipelineId, out _);
    }

    /// <summary>Where a rebalance sends a pipeline it moves (its next allocation goes there, whoever asks).</summary>
    public string? TargetOf(string pipelineId) => Volatile.Read(ref _targets).GetValueOrDefault(pipelineId);

    public void Target(string pipelineId, string address) =>
        ImmutableInterlocked.AddOrUpdate(ref _targets, pipelineId, address, (_, _) => address);

    public void Reached(string pipelineId) => ImmutableInterlocked.TryRemove(ref _targets, pipelineId, out _);
}
