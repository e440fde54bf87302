using System.Collections.Immutable;
using Akka.Actor;
using Akka.Cluster.Tools.PublishSubscribe;
using Akka.Event;
using Naeural.Actors.Network;
using Naeural.Actors.Nodes;
using Naeural.Actors.Telemetry;
using Naeural.Ledger.Channels;
using Naeural.Ledger.Identity;
using Naeural.Ledger.Signing;
using Naeural.Actors.Security;

namespace Naeural.Ledger.Epochs;

/// <summary>
/// One per node. Records every node's heartbeats (the replicated resource gossip) as they arrive; <see cref="EpochSettings.Grace"/>
/// after each epoch ends, signs its availability table and shares it with the other observers; after
/// <see cref="EpochSettings.CollectWindow"/>, agrees on the result from the authentic tables of the nodes it saw during the
/// epoch (<see cref="EpochResult.FromTables"/>: median per node, majority quorum, equivocators dropped), signs the result,
/// shares the signature, and records the result and every matching signature in its <see cref="EpochArchive"/>.
/// The heartbeats come from the node's <see cref="NetworkView"/> (verified, and bound to a member address: an invented node id
/// or a junk key never reaches the coverage). The observers whose tables and signatures count are the ledger's registered
/// observers (<see cref="ObserverRegistry"/>, read again at every epoch's close) that were seen during the epoch: a member that
/// merely gossips a table is not an observer.
/// </summary>
public sealed class EpochObserver : ReceiveActor, IWithTimers
{
    public const string Name = "epoch-observer";

    private readonly EpochSettings _settings;
    private readonly NodeKey _key;
    private readonly Secp256k1Verifier _verifier;
    private readonly IActorRef _archive;
    private readonly IActorRef _networkView;
    private readonly Func<Task<ObserverRegistry>> _registry;
    private readonly TimeProvider _time;
    private readonly HeartbeatCoverage _coverage;
    private readonly IActorRef _mediator = DistributedPubSub.Get(Context.System).Mediator;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly Dictionary<string, DateTimeOffset> _lastHeartbeat = new(AccountAddress.Comparer);
    private readonly Dictionary<long, List<SignedAvailability>> _tables = [];
    private readonly Dictionary<long, List<EpochResultSigned>> _earlySignatures = [];
    private readonly Dictionary<long, EpochResult> _agreed = [];
    private long _lastClosed = -1;
    private long _firstObservedEpoch;
    private IReadOnlySet<string> _registered = new HashSet<string>();

    public EpochObserver(
        EpochSettings settings, NodeKey key, Secp256k1Verifier verifier, IActorRef archive, IActorRef networkView,
        Func<Task<ObserverRegistry>> registry, TimeProvider time)
    {
        _settings = settings;
        _key = key;
        _verifier = verifier;
        _archive = archive;
        _networkView = networkView;
        _registry = registry;
        _time = time;
        _coverage = new HeartbeatCoverage(settings.Clock, settings.MaxGap);

        Receive<VerifiedHeartbeats>(verified => Record(verified.Heartbeats));
        Receive<RegistryRead>(read => _registered = EpochObservers.Registered(read.Registry));
        Receive<RegistryUnread>(unread => _log.Warning("Observer registry not read (the last one read stays): {Reason}", unread.Reason));
        Receive<CloseEpoch>(close => Close(close.Epoch));
        Receive<AgreeEpoch>(Agree);
        Receive<SignedAvailability>(OnTable);
        Receive<EpochResultSigned>(OnResultSigned);
        Receive<GetEpochReport>(get => _archive.Forward(get));
        Receive<GetEpochClock>(_ =>
        {
            var current = _settings.Clock.EpochAt(_time.GetUtcNow());
            Sender.Tell(new EpochClockReading(current, _settings.Clock.StartOf(current), _settings.Clock.EndOf(current), _settings.Clock.Length));
        });
        Receive<SubscribeAck>(_ => { });
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(
        EpochSettings settings, NodeKey key, Secp256k1Verifier verifier, IActorRef archive, IActorRef networkView,
        Func<Task<ObserverRegistry>> registry, TimeProvider time) =>
        Akka.Actor.Props.Create(() => new EpochObserver(settings, key, verifier, archive, networkView, registry, time));

    protected override void PreStart()
    {
        _networkView.Tell(SubscribeVerifiedHeartbeats.Instance);
        ReadRegistry();
        _mediator.Tell(new Akka.Cluster.Tools.PublishSubscribe.Subscribe(EpochSettings.Topic, Self));
        // An observer that starts after an epoch began saw only part of it: it reports from the next one on.
        var now = _time.GetUtcNow();
        var current = _settings.Clock.EpochAt(now);
        _firstObservedEpoch = now - _settings.Clock.StartOf(current) > _settings.MaxGap ? current + 1 : current;
        ScheduleClose(current);
    }

    /// <summary>Every node whose heartbeat advanced: seen at the heartbeat's own time, if plausible, else at arrival.</summary>
    private void Record(IReadOnlyList<NodeResources> heartbeats)
    {
        var now = _time.GetUtcNow();
        foreach (var resources in heartbeats)
        {
            var (nodeId, sent) = (resources.NodeId, resources.UpdatedAt);
            if (_lastHeartbeat.TryGetValue(nodeId, out var last) && sent == last)
            {
                continue;
            }

            _lastHeartbeat[nodeId] = sent;
            _coverage.Seen(nodeId, (now - sent).Duration() <= _settings.ClockTolerance && sent < now ? sent : now);
        }
    }

    private void ScheduleClose(long epoch) =>
        Timers.StartSingleTimer(("close", epoch), new CloseEpoch(epoch), Until(_settings.Clock.EndOf(epoch) + _settings.Grace));

    private void ReadRegistry() =>
        _registry().PipeTo(Self, success: registry => new RegistryRead(registry), failure: e => new RegistryUnread(e.Message));

    private void Close(long epoch)
    {
        ScheduleClose(epoch + 1);
        ReadRegistry();
        if (epoch < 0 || epoch < _firstObservedEpoch)
        {
            return;
        }

        var table = SignedAvailability.Create(epoch, _coverage.Table(epoch), _key, _settings.Network);
        TablesOf(epoch).Add(table);
        _mediator.Tell(new Publish(EpochSettings.Topic, table));
        Timers.StartSingleTimer(("agree", epoch), new AgreeEpoch(epoch, table), _settings.CollectWindow);
    }

    /// <summary>Another observer's table, kept until this node agrees on its epoch (later ones are too late to count).</summary>
    private void OnTable(SignedAvailability table)
    {
        var current = _settings.Clock.EpochAt(_time.GetUtcNow());
        if (table.Epoch > _lastClosed && table.Epoch >= current - 1 && table.Epoch <= current
            && !AccountAddress.Same(table.Observer, _key.Address))
        {
            TablesOf(table.Epoch).Add(table);
        }
    }

    private void Agree(AgreeEpoch agree)
    {
        var (epoch, own) = (agree.Epoch, agree.Own);
        _lastClosed = Math.Max(_lastClosed, epoch);
        var observers = EpochObservers.Counted(_registered, _coverage.NodesSeenIn(epoch));
        var tables = _tables.GetValueOrDefault(epoch) ?? [];
        var result = EpochResult.FromTables(epoch, tables, observers, _verifier, _settings.Network);
        _tables.Remove(epoch);
        _coverage.ForgetBefore(epoch);
        if (result is null)
        {
            _log.Warning("Epoch {Epoch}: no quorum ({Tables} tables, {Observers} registered observers seen): no result", epoch, tables.Count, observers.Count);
            _archive.Tell(new RecordEpochWithoutQuorum(own, tables.Count, observers.Count));
            return;
        }

        var signature = result.Sign(_key, _settings.Domain);
        _agreed[epoch] = result;
        NodeMetrics.For(Context.System).EpochAgreed(result.Agreed);
        _archive.Tell(new RecordEpochResult(own, result, signature));
        _mediator.Tell(new Publish(EpochSettings.Topic, new EpochResultSigned(result, _key.Address, signature)));
        foreach (var early in _earlySignatures.GetValueOrDefault(epoch) ?? [])
        {
            OnResultSigned(early);
        }

        _earlySignatures.Remove(epoch);
        foreach (var old in _agreed.Keys.Where(e => e < epoch - 2).ToList())
        {
            _agreed.Remove(old);
        }
    }

    /// <summary>Another observer's signature counts when it is over the very result this node agreed.</summary>
    private void OnResultSigned(EpochResultSigned signed)
    {
        var epoch = signed.Result.Epoch;
        if (AccountAddress.Same(signed.Observer, _key.Address) || !_registered.Contains(signed.Observer))
        {
            return; // its own, or not a registered observer's
        }

        if (!_agreed.TryGetValue(epoch, out var result))
        {
            if (epoch >= _settings.Clock.EpochAt(_time.GetUtcNow()) - 1)
            {
                (_earlySignatures.TryGetValue(epoch, out var list) ? list : _earlySignatures[epoch] = []).Add(signed);
            }

            return;
        }

        if (result.Signers([signed.Signature], _verifier, _settings.Domain).Contains(signed.Observer))
        {
            _archive.Tell(new AddEpochSignature(epoch, signed.Signature));
        }
    }

    private List<SignedAvailability> TablesOf(long epoch) =>
        _tables.TryGetValue(epoch, out var list) ? list : _tables[epoch] = [];

    private TimeSpan Until(DateTimeOffset time)
    {
        var delay = time - _time.GetUtcNow();
        return delay > TimeSpan.Zero ? delay : TimeSpan.Zero;
    }

    private sealed record CloseEpoch(long Epoch);

    private sealed record RegistryRead(ObserverRegistry Registry);

    private sealed record RegistryUnread(string Reason);

    private sealed record AgreeEpoch(long Epoch, SignedAvailability Own);
}
