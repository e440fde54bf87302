using System.Collections.Immutable;

namespace Naeural.Actors.Placement;

/// <summary>
/// Where the pipeline shards are (pipeline id → akka address), as this node's pipeline allocation strategy last saw or
/// decided it. Both shard coordinators run on the same (oldest) member, so the plugin-instance strategy reads it there to
/// keep a pipeline's instances on the pipeline's node. One per node, shared by its two strategies; swapped atomically
/// because the two coordinators run on different threads.
/// </summary>
public sealed class PlacementBoard
{
    private ImmutableDictionary<string, string> _homes = ImmutableDictionary<string, string>.Empty;

    public string? HomeOf(string pipelineId) => Volatile.Read(ref _homes).GetValueOrDefault(pipelineId);

    public void Record(string pipelineId, string address) =>
        ImmutableInterlocked.AddOrUpdate(ref _homes, pipelineId, address, (_, _) => address);

    /// <summary>Brings the picture in line with sharding's own current allocations.</summary>
    public void Update(IEnumerable<(string PipelineId, string Address)> homes) =>
        ImmutableInterlocked.Update(ref _homes, current => current.SetItems(homes.Select(h => KeyValuePair.Create(h.PipelineId, h.Address))));
}
