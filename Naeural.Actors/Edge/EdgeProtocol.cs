using Naeural.Actors.Serialization;

namespace Naeural.Actors.Edge;

/// <summary>
/// From a client to its edge: ask the node <see cref="NodeId"/> (a member of the network, from <c>GetNodes</c>) the request
/// <see cref="Message"/>, for answers only that node has (its work meter, its billing, its payment channels). The edge sends
/// it over the members' own links and hands the answer back; the client trusts, and connects to, its own node only.
/// </summary>
[WireName("edge.to-node")]
public sealed record ToNode(string NodeId, object Message);

/// <summary>How much a client edge takes at once, and how long it waits.</summary>
public sealed record EdgeSettings
{
    /// <summary>Requests waiting for a node-side answer, all clients together; beyond, requests are refused (<c>EDGE_BUSY</c>) or dropped.</summary>
    public int MaxRequests { get; init; } = 4096;

    /// <summary>How long the edge waits for a node-side answer before it forgets the request (the client's own time-out is shorter).</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Live payload subscriptions through this edge, all clients together; beyond, a subscribe is refused (<c>EDGE_BUSY</c>).</summary>
    public int MaxConversations { get; init; } = 1024;

    /// <summary>A subscription through which nothing passed, either way, for this long is closed (its client subscribes again).</summary>
    public TimeSpan ConversationIdle { get; init; } = TimeSpan.FromMinutes(10);
}
