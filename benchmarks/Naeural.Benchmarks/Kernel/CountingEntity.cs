using Akka.Actor;
using Akka.Cluster.Sharding;
using Naeural.Actors.Serialization;

namespace Naeural.Benchmarks.Kernel;

/// <summary>Arms a <see cref="CountingEntity"/>: answer <see cref="Reached"/> once <see cref="Target"/> ticks have arrived.</summary>
[WireName("benchmarks.count-to")]
public sealed record CountTo(string EntityId, long Target);

/// <summary>One message to count.</summary>
[WireName("benchmarks.tick")]
public sealed record Tick(string EntityId);

/// <summary>The count was reached.</summary>
[WireName("benchmarks.reached")]
public sealed record Reached(long Count);

/// <summary>Counts one-way messages: what the shard-region message-rate baseline sends to.</summary>
public sealed class CountingEntity : ReceiveActor
{
    public const string TypeName = "counter";

    private long _count;
    private long _target;
    private IActorRef _waiter = ActorRefs.Nobody;

    public CountingEntity()
    {
        Receive<CountTo>(arm =>
        {
            (_count, _target, _waiter) = (0, arm.Target, Sender);
        });
        Receive<Tick>(_ =>
        {
            if (++_count == _target)
            {
                _waiter.Tell(new Reached(_count));
            }
        });
    }

    public static Props Props() => Akka.Actor.Props.Create(() => new CountingEntity());

    public sealed class Extractor() : HashCodeMessageExtractor(100)
    {
        public override string? EntityId(object message) => message switch
        {
            CountTo c => c.EntityId,
            Tick t => t.EntityId,
            _ => null,
        };
    }
}
