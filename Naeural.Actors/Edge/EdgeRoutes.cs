using Akka.Actor;
using Naeural.Actors.Api;
using Naeural.Actors.Commands;
using Naeural.Actors.Metering;
using Naeural.Actors.Network;
using Naeural.Actors.Pipelines;

namespace Naeural.Actors.Edge;

/// <summary>
/// Where a client edge hands each request type: the node-side actor that answers it, and, for answers only one node has,
/// that actor's path on the other members (for <see cref="ToNode"/>). A type with no route is dropped at the edge. Each
/// module adds its own routes (the kernel's: <see cref="ForKernel"/>; the ledger's are added by Naeural.Ledger).
/// </summary>
public sealed class EdgeRoutes
{
    private readonly Dictionary<Type, EdgeRoute> _routes = [];

    /// <param name="node">The node's own actor system: other members are reached through its remoting.</param>
    /// <param name="nodeId">This node's id (a <see cref="ToNode"/> for it is answered here).</param>
    /// <param name="api">The node's front door: signed commands and subscriptions.</param>
    /// <param name="networkView">Where a member's verified address is looked up.</param>
    public EdgeRoutes(ActorSystem node, string nodeId, IActorRef api, IActorRef networkView)
    {
        Node = node;
        NodeId = nodeId;
        Api = api;
        NetworkView = networkView;
    }

    public ActorSystem Node { get; }

    public string NodeId { get; }

    public IActorRef Api { get; }

    public IActorRef NetworkView { get; }

    /// <summary>The request types routed so far.</summary>
    public IReadOnlyCollection<Type> Types => _routes.Keys;

    /// <summary>
    /// The kernel's routes: the network view and signed commands (signed reads included: an owner's receipts, billed total,
    /// pipelines) to the front door, which another member's edge may also ask (<see cref="ToNode"/>).
    /// </summary>
    public static EdgeRoutes ForKernel(ActorSystem node, string nodeId, IActorRef api, IActorRef networkView) =>
        new EdgeRoutes(node, nodeId, api, networkView)
            .Route<GetNodes>(api)
            .Route<SignedCommand>(api, NodeApi.Path);

    /// <summary>Requests of type <typeparamref name="T"/> go to <paramref name="local"/>; with <paramref name="pathOnEveryNode"/>, a <see cref="ToNode"/> may carry them to that path on another member.</summary>
    public EdgeRoutes Route<T>(IActorRef local, string? pathOnEveryNode = null)
    {
        _routes[typeof(T)] = new EdgeRoute(local, pathOnEveryNode);
        return this;
    }

    internal EdgeRoute? For(Type type) => _routes.GetValueOrDefault(type);
}

/// <summary>One request type's target: here, and where it is on other members (null: only here).</summary>
internal sealed record EdgeRoute(IActorRef Local, string? PathOnEveryNode);
