using System.Collections.Immutable;
using System.Text.Json;
using Akka.Actor;
using Akka.Cluster.Tools.PublishSubscribe;
using Akka.Event;
using Akka.Persistence;
using Naeural.Actors.Commands;
using Naeural.Actors.Pipelines;
using Naeural.Actors.Replication;
using Naeural.Actors.Telemetry;
using Naeural.Actors.Hosting;
using Naeural.Actors.Security;

namespace Naeural.Actors.Payloads;

/// <summary>
/// One pipeline's outbox: a persistent child of its <see cref="PipelineEntity"/>, so it always runs where the pipeline runs
/// and moves with it. Numbers each payload,
/// has the node sign it, persists it, then publishes it on the pipeline's topic; keeps it until every subscription has
/// acknowledged it (one cursor per owner-signed subscription, <see cref="SubscriptionCursors"/>), and resends what a
/// (re)connecting subscriber missed. Only a relay that brought the owner's signed subscribe here (<see cref="OpenPayloadSubscription"/>)
/// may acknowledge or ask for resends, and resends go only to that relay; anyone else is answered
/// <see cref="PayloadSubscriptionRefused"/>. A subscription whose relay went away keeps its cursor for
/// <c>SubscriptionLinger</c>, then expires. At-least-once: subscribers drop duplicates by sequence number.
/// Writes are asynchronous so that consecutive payloads share journal batches. Beyond <c>MaxUnackedPayloads</c> the oldest
/// are evicted, counted and reported. Each persisted batch is also counted in the node's <see cref="Telemetry.NodeMetrics"/> and
/// published on the node's own event stream (<see cref="LocalPayloadsStored"/>) for local observers such as the dashboard. Its
/// pipeline tells it how to seal payloads (<see cref="ConfigureOutbox"/>: for the owner's key with <c>ENCRYPT_PAYLOADS</c>, else
/// in clear); until then it holds emits back.
/// </summary>
public sealed class PayloadOutbox : ReceivePersistentActor, IWithTimers
{
    public const string Name = "outbox";

    /// <summary>The refusal of a new subscription when every one this outbox keeps is live.</summary>
    public const string TooManySubscriptions = "TOO_MANY_SUBSCRIPTIONS";

    /// <summary>The refusal of an acknowledgement or resend from a sender no subscription is bound to.</summary>
    public const string UnknownSubscription = "UNKNOWN_SUBSCRIPTION";

    private const int ResendChunk = 256;

    private readonly string _pipelineId;
    private readonly PipelineServices _services;
    private readonly IActorRef _mediator;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly NodeMetrics _metrics = NodeMetrics.For(Context.System);
    private readonly SortedDictionary<long, PayloadDelivered> _unacked = [];
    private readonly SubscriptionCursors _cursors = new();
    private readonly Dictionary<IActorRef, string> _subscriptionOf = [];
    private readonly Dictionary<string, IActorRef> _relayOf = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTimeOffset> _awaySince = new(StringComparer.Ordinal);
    private long _lastSequence;
    private long _reservedSequence;
    private long _published;
    private readonly Queue<PayloadsStored> _sharing = new();
    private bool _configured;
    private bool _restored;
    private PayloadEncryption? _encryption;

    public PayloadOutbox(string pipelineId, PipelineServices services)
    {
        _pipelineId = pipelineId;
        _services = services;
        PersistenceId = $"outbox-{pipelineId}";
        _mediator = DistributedPubSub.Get(Context.System).Mediator;

        Recover<IOutboxEvent>(Apply);
        Recover<SnapshotOffer>(offer =>
        {
            switch (offer.Snapshot)
            {
                case OutboxCursorSnapshot snapshot:
                    _cursors.Restore(snapshot);
                    Restore(snapshot.LastSequence, snapshot.Unacknowledged);
                    break;
                case OutboxSnapshot legacy:
                    _cursors.RaiseFloor(legacy.Acknowledged);
                    Restore(legacy.LastSequence, legacy.Unacknowledged);
                    break;
            }
        });
        Recover<RecoveryCompleted>(_ =>
        {
            _reservedSequence = _lastSequence;
            // No relay knows this outbox yet: every cursor starts its linger now (its subscriber will subscribe again).
            foreach (var subscription in _cursors.Cursors.Keys)
            {
                _awaySince[subscription] = _services.Time.GetUtcNow();
            }

            var check = TimeSpan.FromTicks(Math.Clamp(_services.Settings.SubscriptionLinger.Ticks / 4, TimeSpan.TicksPerSecond, TimeSpan.TicksPerMinute));
            Timers.StartPeriodicTimer(ExpireTick.Instance, ExpireTick.Instance, check);
            _published = _lastSequence;
            if (_services.Replicated)
            {
                // What the pipeline's replicas hold may be ahead of this node's journal (the pipeline ran elsewhere).
                Replica.Tell(new HostingPipeline(_pipelineId));
                Replica.Ask<ReplicaContent>(new GatherReplica(_pipelineId), TimeSpan.FromSeconds(15)).PipeTo(Self);
            }
            else
            {
                _restored = true;
            }
        });
        Command<ReplicaContent>(content => !_restored, Adopt);
        Command<Status.Failure>(_ => !_restored, failure =>
        {
            _log.Warning("Replicas of {PipelineId}'s outbox did not answer ({Reason}); numbering goes on from this node's journal", _pipelineId, failure.Cause.Message);
            Adopted();
        });
        Command<PayloadsShared>(shared =>
        {
            while (_sharing.Count > 0 && _sharing.Peek().Payloads.Max(p => p.Sequence) <= shared.UpTo)
            {
                Publish(_sharing.Dequeue());
            }
        });
        Command<ReshareReplica>(_ => Reshare());

        Command<ConfigureOutbox>(configure =>
        {
            _encryption = configure.Encryption;
            if (!_configured)
            {
                _configured = true;
                if (_restored)
                {
                    Stash.UnstashAll();
                }
            }
        });
        Command<EmitPayloads>(emit =>
        {
            if (_configured && _restored)
            {
                Store(emit);
            }
            else
            {
                Stash.Stash(); // how to seal it, or where numbering goes on, is not known yet: its pipeline is still recovering
            }
        });
        Command<OpenPayloadSubscription>(OpenSubscription);
        Command<AckPayloads>(Acknowledge);
        Command<ResendPayloads>(r =>
        {
            if (BoundSubscription() is not null)
            {
                Resend(Sender, r.After);
            }
        });
        Command<Terminated>(t => RelayGone(t.ActorRef));
        Command<ExpireTick>(_ => ExpireAway());
        Command<SaveSnapshotSuccess>(s =>
        {
            DeleteMessages(s.Metadata.SequenceNr);
            DeleteSnapshots(new SnapshotSelectionCriteria(s.Metadata.SequenceNr - 1));
        });
        Command<SaveSnapshotFailure>(f => _log.Warning(f.Cause, "Snapshot of {PersistenceId} failed", PersistenceId));
        Command<DeleteMessagesSuccess>(_ => { });
        Command<DeleteMessagesFailure>(f => _log.Warning(f.Cause, "Trimming the journal of {PersistenceId} failed", PersistenceId));
        Command<DeleteSnapshotsSuccess>(_ => { });
        Command<DeleteSnapshotsFailure>(_ => { });
    }

    public override string PersistenceId { get; }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(string pipelineId, PipelineServices services) =>
        Akka.Actor.Props.Create(() => new PayloadOutbox(pipelineId, services));

    private void Store(EmitPayloads emit)
    {
        // Sequence numbers are reserved when the command arrives, so signatures can be made before the (async) write.
        var pipelineName = _pipelineId[(_pipelineId.IndexOf('/') + 1)..];
        var stored = emit.Payloads
            .Select(p =>
            {
                var sequence = ++_reservedSequence;
                return new PayloadDelivered(_pipelineId, sequence,
                    PayloadFormat.Build(_services.NodeId, pipelineName, p, sequence, _services.NodeSigner, _services.Settings.NetworkId, _encryption));
            })
            .ToImmutableArray();
        PersistAsync(new PayloadsStored(stored), e =>
        {
            Apply(e);
            _metrics.PayloadsEmitted(e.Payloads.Length);
            if (_services.Replicated)
            {
                // Published only once another member holds them too: a crash of this node then loses none.
                _sharing.Enqueue(e);
                Replica.Tell(new SharePayloads(_pipelineId, _cursors.Floor, e.Payloads));
            }
            else
            {
                Publish(e);
            }

            EvictOverflow();
            MaybeSnapshot();
        });
    }

    private IActorRef Replica => NodeActors.Find<PipelineReplica>(Context.System);

    /// <summary>Everything unacknowledged to the (new) replica set, in chunks small enough for one message each.</summary>
    private void Reshare()
    {
        foreach (var chunk in _unacked.Values.Chunk(ResendChunk))
        {
            Replica.Tell(new SharePayloads(_pipelineId, _cursors.Floor, [.. chunk]));
        }
    }

    private void Publish(PayloadsStored e)
    {
        _published = Math.Max(_published, e.Payloads.Max(p => p.Sequence));
        _mediator.Tell(new Publish(PayloadTopics.For(_pipelineId), new PayloadBatch(_pipelineId, e.Payloads)));
        Context.System.EventStream.Publish(new LocalPayloadsStored(_pipelineId, e.Payloads));
    }

    /// <summary>Takes what the replicas hold beyond this node's journal; numbering goes on after the highest number any holds.</summary>
    private void Adopt(ReplicaContent content)
    {
        var adopted = content.Payloads.Where(p => p.Sequence > _lastSequence).OrderBy(p => p.Sequence).ToImmutableArray();
        var last = content.LastSequence;
        if (adopted.IsEmpty)
        {
            Adopted(last);
            return;
        }

        Persist(new PayloadsStored(adopted), e =>
        {
            Apply(e);
            _log.Info("Outbox of {PipelineId} took {Count} payload(s) up to #{UpTo} from its replicas", _pipelineId, e.Payloads.Length, _lastSequence);
            Adopted(last);
        });
    }

    private void Adopted(long replicasLast = 0)
    {
        _lastSequence = Math.Max(_lastSequence, replicasLast);
        _reservedSequence = _lastSequence;
        _published = _lastSequence;
        _restored = true;
        Reshare();

        if (_configured)
        {
            Stash.UnstashAll();
        }
    }

    /// <summary>A relay brings the owner's signed subscribe: verified here, then the relay is bound to its cursor.</summary>
    private void OpenSubscription(OpenPayloadSubscription open)
    {
        var relay = Sender;
        (string Subscription, long After, string Nonce, long TimeMs) admitted;
        try
        {
            admitted = _cursors.Admit(open.Subscribe, _pipelineId, _services.Verifier, _services.Settings.NetworkId, _services.Time.GetUtcNow(),
                _services.Settings.CommandFreshness, _services.Settings.MaxCommandBytes);
        }
        catch (CommandRejectedException e)
        {
            _log.Warning("Subscription to {PipelineId} from {Relay} refused: {Code} {Reason}", _pipelineId, relay.Path, e.Code, e.Reason);
            relay.Tell(new PayloadSubscriptionRefused(_pipelineId, e.Code, e.Reason));
            return;
        }

        if (!_cursors.Contains(admitted.Subscription) && _cursors.Count >= _services.Settings.MaxSubscriptions)
        {
            var longestGone = _awaySince.Where(a => !_relayOf.ContainsKey(a.Key)).OrderBy(a => a.Value).Select(a => a.Key).FirstOrDefault();
            if (longestGone is null)
            {
                relay.Tell(new PayloadSubscriptionRefused(_pipelineId, TooManySubscriptions,
                    $"{_pipelineId} has {_cursors.Count} live subscriptions, the most an outbox keeps (MaxSubscriptions)"));
                return;
            }

            Persist(new PayloadSubscriptionExpired(longestGone), Apply);
        }

        Persist(new PayloadSubscriptionOpened(admitted.Subscription, admitted.After, admitted.Nonce, admitted.TimeMs), e =>
        {
            Apply(e);
            Bind(relay, e.Subscription);
            var signers = _unacked.Values.Select(p => PayloadFormat.SignerNodeOf(p.SignedJson)).Append(_services.NodeId)
                .OfType<string>().Distinct(AccountAddress.Comparer).ToImmutableArray();
            relay.Tell(new PayloadSubscriptionAccepted(_pipelineId, _services.NodeId, signers));
            Resend(relay, e.After);
            MaybeSnapshot();
        });
    }

    /// <summary>Moves the cursor of the sender's subscription only; from any other sender it changes nothing.</summary>
    private void Acknowledge(AckPayloads ack)
    {
        if (BoundSubscription() is not { } subscription)
        {
            return;
        }

        var upTo = Math.Min(ack.UpTo, _lastSequence);
        if (upTo <= _cursors.Cursors.GetValueOrDefault(subscription))
        {
            return;
        }

        Persist(new SubscriptionAcknowledged(subscription, upTo), e =>
        {
            Apply(e);
            MaybeSnapshot();
        });
    }

    /// <summary>The subscription the sender is the relay of, or null (and the sender is told so).</summary>
    private string? BoundSubscription()
    {
        if (_subscriptionOf.TryGetValue(Sender, out var subscription))
        {
            return subscription;
        }

        Sender.Tell(new PayloadSubscriptionRefused(_pipelineId, UnknownSubscription,
            "no subscription of this outbox is bound to the sender: subscribe again with a signed SUBSCRIBE_PAYLOADS"));
        return null;
    }

    private void Bind(IActorRef relay, string subscription)
    {
        if (_relayOf.Remove(subscription, out var previous) && !previous.Equals(relay))
        {
            _subscriptionOf.Remove(previous); // a resubscription replaces its earlier relay
            Context.Unwatch(previous);
        }

        _relayOf[subscription] = relay;
        _subscriptionOf[relay] = subscription;
        _awaySince.Remove(subscription);
        Context.Watch(relay);
    }

    /// <summary>
    /// The subscription's relay stopped: its cursor starts its linger. The relay stays bound for what it sent before it stopped
    /// (its last acknowledgement travels through the shard region, its termination directly, so the latter may come first).
    /// </summary>
    private void RelayGone(IActorRef relay)
    {
        if (_subscriptionOf.TryGetValue(relay, out var subscription) && _relayOf.TryGetValue(subscription, out var current) && current.Equals(relay))
        {
            _relayOf.Remove(subscription);
            _awaySince[subscription] = _services.Time.GetUtcNow();
        }
    }

    private void ExpireAway()
    {
        var cutoff = _services.Time.GetUtcNow() - _services.Settings.SubscriptionLinger;
        var expired = _awaySince.Where(a => a.Value <= cutoff && _cursors.Contains(a.Key))
            .Select(a => new PayloadSubscriptionExpired(a.Key)).ToList();
        if (expired.Count > 0)
        {
            PersistAll(expired, Apply);
        }
    }

    private void Resend(IActorRef relay, long after)
    {
        // Only what was published: a payload still waiting for its replica is sent when it has one.
        relay.Tell(new ResendFrom(_pipelineId, _unacked.Count > 0 ? Math.Min(_unacked.Keys.First() - 1, _published) : _published));
        foreach (var chunk in _unacked.Values.Where(p => p.Sequence > after && p.Sequence <= _published).Chunk(ResendChunk))
        {
            relay.Tell(new PayloadBatch(_pipelineId, [.. chunk]));
        }

        relay.Tell(new ResendDone(_pipelineId, _published));
    }

    private void EvictOverflow()
    {
        var excess = _unacked.Count - _services.Settings.MaxUnackedPayloads;
        if (excess <= 0)
        {
            return;
        }

        var upTo = _unacked.Keys.Skip(excess - 1).First();
        Persist(new PayloadsEvicted(upTo, excess), e =>
        {
            Apply(e);
            _metrics.Dropped(DropQueues.Outbox, e.Count);
            _mediator.Tell(new Publish(PayloadTopics.For(_pipelineId), new PipelineNotification(_pipelineId, "outbox",
                NotificationSeverity.Warning, NotificationCodes.OutboxOverflow,
                $"{e.Count} unacknowledged payload(s) up to #{e.UpTo} evicted: over {_services.Settings.MaxUnackedPayloads} waiting",
                _services.Time.GetUtcNow())));
        });
    }

    /// <summary>Every event of the journal, replayed or just persisted, changes the outbox here.</summary>
    private void Apply(IOutboxEvent e)
    {
        switch (e)
        {
            case PayloadsStored stored:
                Apply(stored);
                break;
            case PayloadsAcknowledged acknowledged: // written before per-subscription cursors; only replayed
                _cursors.RaiseFloor(Math.Min(acknowledged.UpTo, _lastSequence));
                RemoveUpTo(_cursors.Floor);
                break;
            case PayloadSubscriptionOpened opened:
                Apply(opened);
                break;
            case SubscriptionAcknowledged acknowledged:
                Apply(acknowledged);
                break;
            case PayloadSubscriptionExpired expired:
                Apply(expired);
                break;
            case PayloadsEvicted evicted:
                Apply(evicted);
                break;
            default:
                throw new InvalidOperationException($"{_pipelineId}: no rule applies a {e.GetType().Name}");
        }
    }

    private void Apply(PayloadsStored e)
    {
        foreach (var payload in e.Payloads)
        {
            _unacked[payload.Sequence] = payload;
            _lastSequence = Math.Max(_lastSequence, payload.Sequence);
        }
    }

    private void Apply(PayloadSubscriptionOpened e)
    {
        _cursors.Open(e, _lastSequence, _services.Settings.CommandFreshness);
        RemoveUpTo(_cursors.Floor);
    }

    private void Apply(SubscriptionAcknowledged e)
    {
        _cursors.Acknowledge(e);
        RemoveUpTo(_cursors.Floor);
    }

    private void Apply(PayloadSubscriptionExpired e)
    {
        _cursors.Expire(e);
        _awaySince.Remove(e.Subscription);
        foreach (var relay in _subscriptionOf.Where(r => r.Value == e.Subscription).Select(r => r.Key).ToList())
        {
            _subscriptionOf.Remove(relay);
        }

        RemoveUpTo(_cursors.Floor);
    }

    private void Apply(PayloadsEvicted e) => RemoveUpTo(e.UpTo);

    private void Restore(long lastSequence, ImmutableArray<PayloadDelivered> unacknowledged)
    {
        _lastSequence = lastSequence;
        foreach (var payload in unacknowledged)
        {
            _unacked[payload.Sequence] = payload;
        }
    }

    private void RemoveUpTo(long upTo)
    {
        while (_unacked.Count > 0 && _unacked.Keys.First() <= upTo)
        {
            _unacked.Remove(_unacked.Keys.First());
        }
    }

    private void MaybeSnapshot()
    {
        if (LastSequenceNr % _services.Settings.SnapshotEvery == 0)
        {
            SaveSnapshot(_cursors.ToSnapshot(_lastSequence, [.. _unacked.Values]));
        }
    }

    private sealed record ExpireTick
    {
        public static ExpireTick Instance { get; } = new();
    }
}
