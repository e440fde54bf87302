using System.Collections.Immutable;
using Akka.Actor;
using Akka.Event;
using Naeural.Ledger.Channels;
using Naeural.Ledger.Signing;
using Naeural.Actors.Security;

namespace Naeural.Ledger.Epochs;

/// <summary>
/// Claims this node's epoch rewards by itself: every <see cref="Interval"/> it looks at the last few epochs in its
/// <see cref="EpochArchive"/>, and for each agreed result that names this node and carries signatures from at least the
/// ledger's threshold of registered observers, asks the ledger for its share (signed with the node's key). An epoch is done
/// once claimed, or once the ledger says so (already claimed, nothing to claim); without a pool or enough signatures yet,
/// it is tried again next time.
/// </summary>
public sealed class RewardClaimer : ReceiveActor, IWithTimers
{
    public const string Name = "reward-claimer";
    private const int EpochsLookedAt = 3;

    private readonly string _nodeId;
    private readonly IActorRef _archive;
    private readonly ISettlementBackend _ledger;
    private readonly Secp256k1Verifier _verifier;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private ImmutableHashSet<long> _done = [];
    private bool _busy;

    public RewardClaimer(string nodeId, IActorRef archive, ISettlementBackend ledger, Secp256k1Verifier verifier, TimeSpan interval)
    {
        _nodeId = nodeId.ToLowerInvariant();
        _archive = archive;
        _ledger = ledger;
        _verifier = verifier;
        Interval = interval;

        Receive<Tick>(_ => Look());
        Receive<Outcome>(outcome =>
        {
            _busy = false;
            _done = _done.Union(outcome.Done);
            foreach (var line in outcome.Log)
            {
                _log.Info(line);
            }
        });
    }

    public TimeSpan Interval { get; }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(string nodeId, IActorRef archive, ISettlementBackend ledger, Secp256k1Verifier verifier, TimeSpan interval) =>
        Akka.Actor.Props.Create(() => new RewardClaimer(nodeId, archive, ledger, verifier, interval));

    protected override void PreStart() => Timers.StartPeriodicTimer("look", Tick.Instance, Interval);

    private void Look()
    {
        if (_busy)
        {
            return;
        }

        _busy = true;
        ClaimAsync().PipeTo(Self, failure: e => new Outcome([], [$"Reward claims failed this round: {e.Message}"]));
    }

    private async Task<Outcome> ClaimAsync()
    {
        var latest = await _archive.Ask<EpochReport>(new GetEpochReport(), TimeSpan.FromSeconds(10));
        if (!latest.Known)
        {
            return new Outcome([], []);
        }

        var registry = await _ledger.GetObserversAsync();
        var done = new List<long>();
        var log = new List<string>();
        for (var epoch = latest.Epoch; epoch > latest.Epoch - EpochsLookedAt && epoch >= 0; epoch--)
        {
            if (_done.Contains(epoch))
            {
                continue;
            }

            var report = epoch == latest.Epoch ? latest : await _archive.Ask<EpochReport>(new GetEpochReport(epoch), TimeSpan.FromSeconds(10));
            if (report.Result is not { } result || !result.Agreed.ContainsKey(_nodeId))
            {
                done.Add(epoch);
                continue;
            }

            var observers = registry.Observers.ToHashSet(AccountAddress.Comparer);
            if (registry.Threshold <= 0 || !result.ClaimIsValid(_nodeId, report.Signatures, observers, registry.Threshold, _verifier, _ledger.Domain))
            {
                continue; // more signatures may still come, or the registry may be set later
            }

            try
            {
                await _ledger.ClaimRewardAsync(_nodeId, result, report.Signatures);
                done.Add(epoch);
                log.Add($"Claimed the reward of epoch {epoch} with {report.Signatures.Length} observer signatures");
            }
            catch (SettlementException e) when (e.Message.StartsWith("ALREADY_CLAIMED", StringComparison.Ordinal)
                                               || e.Message.StartsWith("NOTHING_TO_CLAIM", StringComparison.Ordinal)
                                               || e.Message.StartsWith("OTHER_RESULT", StringComparison.Ordinal))
            {
                done.Add(epoch);
                log.Add($"Epoch {epoch}: {e.Message}");
            }
            catch (SettlementException e)
            {
                log.Add($"Epoch {epoch} not claimed yet: {e.Message}");
            }
        }

        return new Outcome([.. done], [.. log]);
    }

    private sealed record Tick
    {
        public static Tick Instance { get; } = new();
    }

    private sealed record Outcome(ImmutableArray<long> Done, ImmutableArray<string> Log);
}
