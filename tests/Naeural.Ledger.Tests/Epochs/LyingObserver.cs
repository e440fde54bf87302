using System.Collections.Immutable;
using Akka.Actor;
using Akka.Cluster.Tools.PublishSubscribe;
using Naeural.Actors.Security;
using Naeural.Ledger.Epochs;
using Naeural.Ledger.Identity;

namespace Naeural.Ledger.Tests.Epochs;

/// <summary>Told what to claim for an epoch.</summary>
public sealed record Lie(long Epoch, ImmutableSortedDictionary<string, byte> Table);

/// <summary>
/// Takes the place of a node's <see cref="EpochObserver"/> and lies: when the epoch closes it shares, signed with the node's
/// real key, the table it was told to, whatever it saw.
/// </summary>
public sealed class LyingObserver : ReceiveActor, IWithTimers
{
    public LyingObserver(EpochSettings settings, NodeKey key)
    {
        var mediator = DistributedPubSub.Get(Context.System).Mediator;
        Receive<Lie>(lie =>
        {
            var at = settings.Clock.EndOf(lie.Epoch) + settings.Grace;
            var delay = at - DateTimeOffset.UtcNow;
            Timers.StartSingleTimer(lie.Epoch, new Share(lie), delay > TimeSpan.Zero ? delay : TimeSpan.Zero);
        });
        Receive<Share>(share => mediator.Tell(new Publish(EpochSettings.Topic,
            SignedAvailability.Create(share.Lie.Epoch, share.Lie.Table, key, NetworkIds.Default))));
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(EpochSettings settings, NodeKey key) => Akka.Actor.Props.Create(() => new LyingObserver(settings, key));

    private sealed record Share(Lie Lie);
}
