using Akka.Actor;
using Akka.Cluster.Sharding;
using Naeural.Actors.Serialization;

namespace Naeural.Benchmarks.Kernel;

/// <summary>A request to an <see cref="EchoEntity"/>, routed by <see cref="EntityId"/>.</summary>
[WireName("benchmarks.ping")]
public sealed record Ping(string EntityId, long Sequence);

/// <summary>The echo's answer.</summary>
[WireName("benchmarks.pong")]
public sealed record Pong(long Sequence);

/// <summary>Answers every <see cref="Ping"/>: the cheapest possible entity, so the benchmark measures the routing.</summary>
public sealed class EchoEntity : ReceiveActor
{
    public const string TypeName = "echo";

    public EchoEntity() => Receive<Ping>(ping => Sender.Tell(new Pong(ping.Sequence)));

    public static Props Props() => Akka.Actor.Props.Create(() => new EchoEntity());

    /// <summary>Routes pings by entity id.</summary>
    public sealed class Extractor() : HashCodeMessageExtractor(100)
    {
        public override string? EntityId(object message) => (message as Ping)?.EntityId;
    }
}
