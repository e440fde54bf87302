using System.Collections.Immutable;
using Akka.DistributedData;
using Naeural.Actors.Pipelines;

namespace Naeural.Actors.Placement;

/// <summary>The replicated registry of every pipeline's placement requirements, keyed by pipeline id, signed by their writer.</summary>
public static class PlacementKeys
{
    public static readonly LWWDictionaryKey<string, SignedPlacement> Requirements = new("naeural-signed-placement");
}

/// <summary>
/// From the front door: record a new pipeline's requirements (on a majority of members), then hand its create command to
/// the pipeline region on behalf of the original sender, telling the sender first if no node fits yet.
/// </summary>
public sealed record PlacePipeline(string PipelineId, PlacementRequirements Requirements, PipelineCommandRequest Command);

/// <summary>From the front door: any other command, handed to the pipeline region after the creates before it.</summary>
public sealed record RouteCommand(PipelineCommandRequest Command);

/// <summary>From the allocation strategy: pick the member for a pipeline's shard among these (akka address → pipelines there).</summary>
public sealed record ChooseHome(string PipelineId, ImmutableDictionary<string, int> PipelinesByAddress);

/// <summary>Answers <see cref="ChooseHome"/>: the chosen member's akka address, or why none fits (the shard stays pending).</summary>
public sealed record HomeChosen(string? Address, string? Reason);

/// <summary>From the allocation strategy: which pipelines to move this round, given where they are (akka address → pipeline ids).</summary>
public sealed record ChooseRebalance(ImmutableDictionary<string, ImmutableArray<string>> PipelinesByAddress);

/// <summary>Answers <see cref="ChooseRebalance"/>.</summary>
public sealed record RebalanceChosen(ImmutableHashSet<string> PipelineIds);

/// <summary>Asks the advisor which pipelines it could not place, and why.</summary>
internal sealed record GetPendingPlacements
{
    public static GetPendingPlacements Instance { get; } = new();
}

/// <summary>Answers <see cref="GetPendingPlacements"/>: pipeline id → reason.</summary>
internal sealed record PendingPlacements(ImmutableSortedDictionary<string, string> Pipelines);
