using System.Collections.Immutable;
using System.Text.Json.Nodes;
using Naeural.Actors.Security;
using Naeural.Actors.Pipelines;
using Naeural.Actors.Serialization;

namespace Naeural.Actors.Placement;

/// <summary>
/// From the front door (local only: on no wire list): place a new pipeline (this node's advisor picks its home from the
/// gossiped view and hands the create to it), answering the original sender, or telling it first that no node fits yet.
/// The front door verified the create; <see cref="SignedAtMs"/> is its signed time.
/// </summary>
[WireName("placement.place-pipeline")]
public sealed record PlacePipeline(string PipelineId, PlacementRequirements Requirements, PipelineCommandRequest Command, long SignedAtMs = 0);

/// <summary>
/// From the front door (local only): any other command, verified there (its signer is the owner or this node's operator),
/// handed to the pipeline region after a create before it that is on its way to a home; an archive signed after a create
/// still pending here withdraws that create.
/// </summary>
[WireName("placement.route-command")]
public sealed record RouteCommand(PipelineCommandRequest Command, string Action = "", long SignedAtMs = 0);

/// <summary>
/// Member to member (wire name kept): the front door that chose this node as a pipeline's home hands it the owner-signed
/// create. The receiving advisor checks that the pipeline fits here by the create's own <c>PLACEMENT</c> and this node's
/// own heartbeat, then hands the create to its local pipeline region, so sharding allocates the pipeline's shard here
/// (the requester). Whoever sends it, the pipeline entity verifies the owner's signature before anything changes.
/// </summary>
[WireName("placement.host-pipeline")]
public sealed record HostPipeline(PipelineCommandRequest Command);

/// <summary>Answers <see cref="HostPipeline"/> when the pipeline does not fit this node (its view differed): try the next.</summary>
[WireName("placement.host-refused")]
public sealed record HostRefused(string PipelineId, string Reason);

/// <summary>
/// Member to member: a replica holder asks the node it picked as a lost pipeline's new home to start it (the pipeline's
/// owner-signed create comes along, for the same fit check as <see cref="HostPipeline"/>); the node wakes it in its local
/// region. If the pipeline already runs elsewhere, the wake reaches it there and changes nothing.
/// </summary>
[WireName("placement.wake-pipeline")]
public sealed record WakePipeline(string PipelineId, PipelineCommandRequest Create);

/// <summary>
/// Member to member, to the advisor on the oldest member (where sharding's coordinator and its allocation strategy run): the
/// pipeline entity on node <see cref="NodeId"/> was handed an owner-signed create that does not fit that node (the shard was
/// allocated there before the create came, e.g. by a read), and gives the shard up. Signed by that node, for this pipeline, at
/// <see cref="AtMs"/>: the receiver takes it only fresh, only when the signer's verified heartbeat address is where sharding
/// has the shard (a node gives up only what it holds; a forged sender reference changes nothing), verifies the create, picks
/// the new home itself by <see cref="PlacementPolicy.Rank"/> over its own view, and the next rebalance moves the shard there.
/// </summary>
[WireName("placement.shard-misplaced")]
public sealed record ShardMisplaced(string PipelineId, PipelineCommandRequest Create, string NodeId, long AtMs, string Signature)
{
    /// <summary>Node <paramref name="node"/> gives up <paramref name="pipelineId"/>'s shard now.</summary>
    public static ShardMisplaced Sign(string pipelineId, PipelineCommandRequest create, IMessageSigner node, string network, DateTimeOffset now) =>
        new(pipelineId, create, node.Address, now.ToUnixTimeMilliseconds(),
            NetworkIds.ShardRelease(network).Sign(Fields(pipelineId, node.Address, now.ToUnixTimeMilliseconds()), node));

    /// <summary>Null when signed by the node it names, on <paramref name="network"/>, within <paramref name="freshness"/>; else why not.</summary>
    public string? Problem(ISignatureVerifier verifier, string network, DateTimeOffset now, TimeSpan freshness) =>
        string.IsNullOrEmpty(PipelineId) || !NodeIds.IsAddress(NodeId) ? "it names no pipeline or no node"
        : Math.Abs(now.ToUnixTimeMilliseconds() - AtMs) > freshness.TotalMilliseconds ? "it is not fresh"
        : NetworkIds.ShardRelease(network).Problem(Fields(PipelineId, NodeId, AtMs), Signature, NodeId, verifier);

    private static JsonObject Fields(string pipelineId, string nodeId, long atMs) => new()
    {
        ["PIPELINE_ID"] = pipelineId,
        ["NODE_ID"] = nodeId,
        ["AT"] = atMs,
    };
}

/// <summary>Asks the advisor which pipelines it could not place, and why.</summary>
[WireName("placement.get-pending-placements")]
internal sealed record GetPendingPlacements
{
    public static GetPendingPlacements Instance { get; } = new();
}

/// <summary>Answers <see cref="GetPendingPlacements"/>: pipeline id → reason.</summary>
[WireName("placement.pending-placements")]
internal sealed record PendingPlacements(ImmutableSortedDictionary<string, string> Pipelines);
