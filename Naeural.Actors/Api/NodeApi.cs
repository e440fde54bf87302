using Akka.Actor;
using Naeural.Actors.Network;

namespace Naeural.Actors.Api;

/// <summary>
/// The node's front door for developers, in-process or connected from another machine (<c>/user/naeural-api</c>):
/// every request a <see cref="Client.NaeuralClient"/> makes arrives here and is handed to the actor that owns the answer.
/// </summary>
public sealed class NodeApi : ReceiveActor
{
    /// <summary>The actor's name under /user.</summary>
    public const string Name = "naeural-api";

    /// <summary>The actor's path relative to a node's address.</summary>
    public const string Path = "/user/" + Name;

    public NodeApi(IActorRef networkView)
    {
        Receive<GetNodes>(query => networkView.Forward(query));
    }

    public static Props Props(IActorRef networkView) => Akka.Actor.Props.Create(() => new NodeApi(networkView));
}
