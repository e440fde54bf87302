using System.Collections.Immutable;
using Akka.Actor;
using Akka.Event;
using Akka.Persistence;
using Naeural.Actors.Security;
using Naeural.Actors.Sharding;
using Naeural.Actors.Serialization;

namespace Naeural.Ledger.Channels;

/// <summary>
/// The embedded ledger's front door, run once per network as a cluster singleton, persistent. Every change to the ledger
/// comes as a <see cref="SignedLedgerRequest"/>: the signature is verified, the acting party is the signer (the payer opens,
/// requests a close and reclaims; the payee settles; only a configured authority mints), the request must be signed for this
/// network (<see cref="LedgerGateSettings.Network"/>), fresh, and its nonce unused; the nonce of every verified request is
/// persisted, whatever becomes of it. The nonce is persisted first, then the request goes to the <see cref="EmbeddedLedgerActor"/> child, which
/// applies the ledger's own rules and answers the sender. Unsigned requests are refused with a reason (nor are they on the
/// serializer allow-list, so none arrives from another process). Balance and channel queries pass through.
/// Supervision: the ledger child is restarted on failure (it recovers from its journal); the gate keeps its nonces in its own.
/// </summary>
public sealed class LedgerGate : ReceivePersistentActor
{
    /// <summary>The singleton's name: its manager is <c>/user/ledger</c>, the proxy on every node <see cref="ProxyPath"/>.</summary>
    public const string SingletonName = "ledger";

    /// <summary>Where a node's proxy to the ledger listens: what clients and the node's own parts send to.</summary>
    public const string ProxyPath = "/user/" + SingletonName + "-proxy";

    private readonly LedgerGateSettings _settings;
    private readonly VoucherSigning _signing;
    private readonly ISignatureVerifier _verifier;
    private readonly TimeProvider _time;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private ImmutableDictionary<string, long> _nonces = ImmutableDictionary<string, long>.Empty;
    private long _newestTimeMs;
    private IActorRef _ledger = ActorRefs.Nobody;
    private IActorRef _persisting = ActorRefs.Nobody;

    public LedgerGate(LedgerGateSettings settings, VoucherSigning signing, ISignatureVerifier verifier, TimeProvider time)
    {
        _settings = settings;
        _signing = signing;
        _verifier = verifier;
        _time = time;
        PersistenceId = settings.PersistenceId;
        if (settings.JournalPluginId is { } journal)
        {
            JournalPluginId = journal;
        }

        if (settings.SnapshotPluginId is { } snapshots)
        {
            SnapshotPluginId = snapshots;
        }

        Recover<LedgerNonceUsed>(Apply);
        Recover<SnapshotOffer>(offer =>
        {
            if (offer.Snapshot is LedgerGateSnapshot snapshot)
            {
                _nonces = snapshot.Nonces;
                _newestTimeMs = snapshot.Nonces.Values.DefaultIfEmpty().Max();
            }
        });

        Command<SignedLedgerRequest>(Handle);
        Command<GetLedgerBalance>(q => _ledger.Forward(q));
        Command<GetLedgerChannel>(q => _ledger.Forward(q));
        Command<GetLedgerObservers>(q => _ledger.Forward(q));
        Command<GetLedgerEpochReward>(q => _ledger.Forward(q));
        Command<GetLedgerLicences>(q => _ledger.Forward(q));
        Command<ILedgerRequest>(r => Sender.Tell(new LedgerRefused(
            $"{LedgerRequests.Unsigned}: {r.GetType().Name} must come signed by its party as a {nameof(SignedLedgerRequest)}")));
        Command<StopEntity>(_ => Context.Stop(Self));
        Command<Terminated>(t => t.ActorRef.Equals(_ledger), _ =>
        {
            // The ledger stops when its journal fails: the gate stops too, and its back-off supervisor starts both again.
            _log.Warning("The embedded ledger stopped (its journal failed): the gate stops and restarts after a back-off");
            Context.Stop(Self);
        });
        Command<SaveSnapshotSuccess>(s => DeleteSnapshots(new SnapshotSelectionCriteria(s.Metadata.SequenceNr - 1)));
        Command<SaveSnapshotFailure>(f => _log.Warning(f.Cause, "Snapshot of {PersistenceId} failed", PersistenceId));
        Command<DeleteSnapshotsSuccess>(_ => { });
        Command<DeleteSnapshotsFailure>(f => _log.Warning(f.Cause, "Deleting old snapshots of {PersistenceId} failed", PersistenceId));
    }

    public override string PersistenceId { get; }

    public static Props Props(LedgerGateSettings settings, VoucherSigning signing, ISignatureVerifier verifier, TimeProvider time) =>
        Akka.Actor.Props.Create(() => new LedgerGate(settings, signing, verifier, time));

    protected override void PreStart()
    {
        _ledger = Context.ActorOf(EmbeddedLedgerActor.Props(_settings.LedgerPersistenceId, _signing, _time, _settings.JournalPluginId),
            EmbeddedLedgerActor.Name);
        Context.Watch(_ledger);
        base.PreStart();
    }

    /// <summary>The journal did not take a nonce: the request is refused clearly (the gate then stops, and is restarted).</summary>
    protected override void OnPersistFailure(Exception cause, object @event, long sequenceNr)
    {
        _persisting.Tell(new LedgerRefused(LedgerRequests.PersistFailure(cause)));
        _persisting = ActorRefs.Nobody;
        base.OnPersistFailure(cause, @event, sequenceNr);
    }

    private void Handle(SignedLedgerRequest signed)
    {
        OpenedLedgerRequest opened;
        try
        {
            opened = LedgerRequests.OpenRequest(signed, _verifier, _settings.Network, _time.GetUtcNow(), _settings.Freshness);
            if (_nonces.ContainsKey(opened.Nonce))
            {
                throw new LedgerRequestException(LedgerRequests.Replayed, $"nonce {opened.Nonce} was already used: a request is looked at once");
            }
        }
        catch (LedgerRequestException e)
        {
            Sender.Tell(new LedgerRefused($"{e.Code}: {e.Reason}"));
            return;
        }

        // The nonce of every verified request is kept, refused or not: one refused now is not obeyed later when conditions change.
        var replyTo = _persisting = Sender;
        Persist(new LedgerNonceUsed(opened.Nonce, opened.TimeMs), e =>
        {
            _persisting = ActorRefs.Nobody;
            Apply(e);
            if (_settings.SnapshotEvery > 0 && LastSequenceNr % _settings.SnapshotEvery == 0)
            {
                SaveSnapshot(new LedgerGateSnapshot(_nonces));
            }

            if (LedgerRequests.NeedsAuthority(opened.Request) && !_settings.MintAuthorities.Contains(opened.Signer, AccountAddress.Comparer))
            {
                replyTo.Tell(new LedgerRefused($"{LedgerRequests.NotAuthorised}: {opened.Signer} is not an authority of this ledger (mints, observers, epoch pools, node licences)"));
                return;
            }

            _ledger.Tell(opened.Request, replyTo);
        });
    }

    /// <summary>Remembers the nonce; forgets those too old to pass the freshness check anyway (measured on request times, so replay agrees).</summary>
    private void Apply(LedgerNonceUsed e)
    {
        _nonces = _nonces.SetItem(e.Nonce, e.TimeMs);
        _newestTimeMs = Math.Max(_newestTimeMs, e.TimeMs);
        if (_nonces.Count % 256 == 0)
        {
            var horizon = _newestTimeMs - 2 * (long)_settings.Freshness.TotalMilliseconds;
            _nonces = _nonces.RemoveRange(_nonces.Where(n => n.Value < horizon).Select(n => n.Key));
        }
    }
}

/// <summary>How the ledger's gate checks requests.</summary>
public sealed record LedgerGateSettings
{
    /// <summary>A request older (or further in the future) than this is stale; nonces are remembered at least this long.</summary>
    public TimeSpan Freshness { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>The network whose ledger this is (<c>--network-id</c>): requests signed for another are refused (<c>WRONG_NETWORK</c>).</summary>
    public string Network { get; init; } = NetworkIds.Default;

    /// <summary>Addresses that may mint on the embedded ledger (none by default).</summary>
    public IReadOnlySet<string> MintAuthorities { get; init; } = new HashSet<string>(AccountAddress.Comparer);

    /// <summary>Events between snapshots of the nonces; 0: none (where the journal is replicated and snapshots are not).</summary>
    public int SnapshotEvery { get; init; } = 200;

    public string PersistenceId { get; init; } = "ledger-gate";

    public string LedgerPersistenceId { get; init; } = "embedded-ledger";

    /// <summary>The journal of the gate and the ledger (null: the node's default); the replicated one on local stores.</summary>
    public string? JournalPluginId { get; init; }

    /// <summary>The gate's snapshot store (null: the node's default); none where the journal is replicated.</summary>
    public string? SnapshotPluginId { get; init; }
}

/// <summary>Event: a signed request's nonce was used.</summary>
[WireName("ledger.channels.ledger-nonce-used")]
public sealed record LedgerNonceUsed(string Nonce, long TimeMs);

/// <summary>The gate's snapshot: nonces still within reach of a replay, with their request times.</summary>
[WireName("ledger.channels.ledger-gate-snapshot")]
public sealed record LedgerGateSnapshot(ImmutableDictionary<string, long> Nonces);
