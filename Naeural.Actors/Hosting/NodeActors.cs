using Akka.Actor;
using Akka.Hosting;

namespace Naeural.Actors.Hosting;

/// <summary>
/// How an actor finds another actor of its own node: in the node's actor registry (Akka.Hosting), under the key the owning
/// project's hosting extension registered it with (<see cref="KernelHosting"/>, <c>AddNaeuralInference</c>,
/// <c>AddNaeuralLedger</c>), never by a path string. Paths stay only where a <i>peer</i> is reached (its actors are not in
/// this registry) and in the list of what peers may select.
/// </summary>
public static class NodeActors
{
    /// <summary>
    /// The actor registered under <typeparamref name="TKey"/>, or <see cref="ActorRefs.Nobody"/> in an actor system without
    /// it (a test of one entity): what is told to nobody is dropped, and an ask of nobody fails at once. Look it up where it
    /// is used, not once in a constructor: the registry is complete only once the node has started.
    /// </summary>
    public static IActorRef Find<TKey>(ActorSystem system) => Find(typeof(TKey), system);

    /// <summary>The actor registered under <paramref name="key"/> (a static class's type for an endpoint), or nobody.</summary>
    public static IActorRef Find(Type key, ActorSystem system) =>
        ActorRegistry.For(system).TryGet(key, out var actor) ? actor : ActorRefs.Nobody;
}
