using Akka.Actor;
using Akka.Event;
using Naeural.Actors.Api;
using Naeural.Actors.Commands;
using Naeural.Actors.Network;
using Naeural.Actors.Pipelines;
using Naeural.Actors.Security;

namespace Naeural.Actors.Edge;

/// <summary>
/// The client edge's one selectable actor (<c>/user/naeural-api</c> in the edge's own actor system, so a client's paths read
/// as they did): takes the client protocol only (the edge's serializer refuses every other type before it gets here) and
/// hands each request to the node-side actor its <see cref="EdgeRoutes"/> name. It asks on its own behalf and answers the
/// client itself, so no node-side reference ever reaches a client: whatever a client names resolves in the edge's system,
/// where nothing but this actor and its subscriptions lives. A signed subscribe opens a <see cref="SubscriptionProxy"/>,
/// the client's relay for as long as it lasts. Requests waiting and subscriptions open are bounded (<see cref="EdgeSettings"/>).
/// </summary>
public sealed class ClientEdge : ReceiveActor
{
    /// <summary>The actor's name under /user in the edge's system: the same as the node's front door.</summary>
    public const string Name = NodeApi.Name;

    /// <summary>The actor's path relative to the edge's address.</summary>
    public const string Path = NodeApi.Path;

    private readonly EdgeRoutes _routes;
    private readonly EdgeSettings _settings;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private int _requests;
    private int _conversations;

    public ClientEdge(EdgeRoutes routes, EdgeSettings settings)
    {
        _routes = routes;
        _settings = settings;

        Receive<SignedCommand>(IsSubscribe, OpenConversation);
        Receive<ToNode>(OnToNode);
        Receive<Answered>(answered =>
        {
            _requests--;
            if (answered.Reply is not null)
            {
                answered.Client.Tell(answered.Reply, Self);
            }
        });
        Receive<Terminated>(_ => _conversations--);
        ReceiveAny(request =>
        {
            if (_routes.For(request.GetType()) is { } route)
            {
                Ask(request, () => route.Local.Ask<object>(request, _settings.RequestTimeout));
            }
            else
            {
                _log.Debug("Edge dropped {MessageType} from {Sender}: not a request it routes", request.GetType().Name, Sender.Path);
            }
        });
    }

    public static Props Props(EdgeRoutes routes, EdgeSettings settings) => Akka.Actor.Props.Create(() => new ClientEdge(routes, settings));

    private static bool IsSubscribe(SignedCommand command) =>
        CommandEnvelope.TryPeek(command, out _, out var action) && action == PipelineActions.Subscribe;

    /// <summary>Answers the sender with what <paramref name="answer"/> brings (nothing if it fails or times out), once there is room.</summary>
    private void Ask(object request, Func<Task<object>> answer)
    {
        if (_requests >= _settings.MaxRequests)
        {
            Busy(request, $"{_settings.MaxRequests} requests are waiting for their answers");
            return;
        }

        _requests++;
        var client = Sender;
        answer().ContinueWith(t => new Answered(client, t.IsCompletedSuccessfully ? t.Result : null), TaskContinuationOptions.ExecuteSynchronously)
            .PipeTo(Self);
    }

    /// <summary>A request for another member: its address from the network view (verified), then the request over the members' link.</summary>
    private void OnToNode(ToNode request)
    {
        if (request.Message is null || _routes.For(request.Message.GetType()) is not { PathOnEveryNode: { } path } route)
        {
            _log.Debug("Edge dropped a request for node {NodeId}: {MessageType} is not one a node answers for itself",
                request.NodeId, request.Message?.GetType().Name);
            return;
        }

        if (AccountAddress.Same(request.NodeId, _routes.NodeId))
        {
            Ask(request.Message, () => route.Local.Ask<object>(request.Message, _settings.RequestTimeout));
            return;
        }

        var (view, node, timeout, message) = (_routes.NetworkView, _routes.Node, _settings.RequestTimeout, request.Message);
        Ask(message, async () =>
        {
            var member = (await view.Ask<NetworkSnapshot>(GetNodes.Instance, timeout)).Find(request.NodeId);
            if (member?.Resources.AkkaAddress is not { } address)
            {
                throw new InvalidOperationException($"node {request.NodeId} is not in the network");
            }

            return await node.ActorSelection(address + path).Ask<object>(message, timeout);
        });
    }

    private void OpenConversation(SignedCommand subscribe)
    {
        if (_conversations >= _settings.MaxConversations)
        {
            Busy(subscribe, $"{_settings.MaxConversations} subscriptions are open through this edge");
            return;
        }

        _conversations++;
        Context.Watch(Context.ActorOf(SubscriptionProxy.Props(Sender, _routes.Api, subscribe, _settings)));
    }

    private void Busy(object request, string why)
    {
        _log.Warning("Client edge is full: {Reason}; {MessageType} from {Sender} refused", why, request.GetType().Name, Sender.Path);
        if (request is SignedCommand command)
        {
            CommandEnvelope.TryPeek(command, out var pipelineId, out var action);
            Sender.Tell(new CommandRejected(pipelineId, action, RejectionCodes.EdgeBusy, $"the node's client edge is full ({why}): try again later"));
        }
    }

    /// <summary>A node-side answer (null: none came) for the client that asked.</summary>
    private sealed record Answered(IActorRef Client, object? Reply);
}
