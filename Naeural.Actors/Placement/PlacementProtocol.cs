using System.Collections.Immutable;
using Naeural.Actors.Pipelines;

namespace Naeural.Actors.Placement;

/// <summary>
/// From the front door: place a new pipeline (this node's advisor picks its home from the gossiped view and hands the create
/// to it), answering the original sender, or telling it first that no node fits yet.
/// </summary>
public sealed record PlacePipeline(string PipelineId, PlacementRequirements Requirements, PipelineCommandRequest Command);

/// <summary>From the front door: any other command, handed to the pipeline region after the creates before it.</summary>
public sealed record RouteCommand(PipelineCommandRequest Command);

/// <summary>
/// Member to member (wire name kept): the front door that chose this node as a pipeline's home hands it the owner-signed
/// create. The receiving advisor checks that the pipeline fits here by the create's own <c>PLACEMENT</c> and this node's
/// own heartbeat, then hands the create to its local pipeline region, so sharding allocates the pipeline's shard here
/// (the requester). Whoever sends it, the pipeline entity verifies the owner's signature before anything changes.
/// </summary>
public sealed record HostPipeline(PipelineCommandRequest Command);

/// <summary>Answers <see cref="HostPipeline"/> when the pipeline does not fit this node (its view differed): try the next.</summary>
public sealed record HostRefused(string PipelineId, string Reason);

/// <summary>
/// Member to member: a replica holder asks the node it picked as a lost pipeline's new home to start it (the pipeline's
/// owner-signed create comes along, for the same fit check as <see cref="HostPipeline"/>); the node wakes it in its local
/// region. If the pipeline already runs elsewhere, the wake reaches it there and changes nothing.
/// </summary>
public sealed record WakePipeline(string PipelineId, PipelineCommandRequest Create);

/// <summary>Asks the advisor which pipelines it could not place, and why.</summary>
internal sealed record GetPendingPlacements
{
    public static GetPendingPlacements Instance { get; } = new();
}

/// <summary>Answers <see cref="GetPendingPlacements"/>: pipeline id → reason.</summary>
internal sealed record PendingPlacements(ImmutableSortedDictionary<string, string> Pipelines);
