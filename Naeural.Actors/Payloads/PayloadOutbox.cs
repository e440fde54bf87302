using System.Collections.Immutable;
using Akka.Actor;
using Akka.Cluster.Tools.PublishSubscribe;
using Akka.Event;
using Akka.Persistence;
using Naeural.Actors.Pipelines;
using Naeural.Actors.Telemetry;

namespace Naeural.Actors.Payloads;

/// <summary>
/// One pipeline's outbox: a persistent child of its <see cref="PipelineEntity"/>, so it always runs where the pipeline runs
/// and moves with it. Numbers each payload,
/// has the node sign it, persists it, then publishes it on the pipeline's topic; keeps it until the subscriber acknowledges
/// it, and resends what a (re)connecting subscriber missed. At-least-once: subscribers drop duplicates by sequence number.
/// Writes are asynchronous so that consecutive payloads share journal batches. Beyond <c>MaxUnackedPayloads</c> the oldest
/// are evicted, counted and reported. Each persisted batch is also counted in the node's <see cref="Telemetry.NodeMetrics"/> and
/// published on the node's own event stream (<see cref="LocalPayloadsStored"/>) for local observers such as the dashboard. Its
/// pipeline tells it how to seal payloads (<see cref="ConfigureOutbox"/>: for the owner's key with <c>ENCRYPT_PAYLOADS</c>, else
/// in clear); until then it holds emits back.
/// </summary>
public sealed class PayloadOutbox : ReceivePersistentActor
{
    public const string Name = "outbox";

    private const int ResendChunk = 256;

    private readonly string _pipelineId;
    private readonly PipelineServices _services;
    private readonly IActorRef _mediator;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly NodeMetrics _metrics = NodeMetrics.For(Context.System);
    private readonly SortedDictionary<long, PayloadDelivered> _unacked = [];
    private long _lastSequence;
    private long _reservedSequence;
    private long _acknowledged;
    private bool _configured;
    private PayloadEncryption? _encryption;

    public PayloadOutbox(string pipelineId, PipelineServices services)
    {
        _pipelineId = pipelineId;
        _services = services;
        PersistenceId = $"outbox-{pipelineId}";
        _mediator = DistributedPubSub.Get(Context.System).Mediator;

        Recover<PayloadsStored>(Apply);
        Recover<PayloadsAcknowledged>(Apply);
        Recover<PayloadsEvicted>(Apply);
        Recover<SnapshotOffer>(offer =>
        {
            if (offer.Snapshot is OutboxSnapshot snapshot)
            {
                _lastSequence = snapshot.LastSequence;
                _acknowledged = snapshot.Acknowledged;
                foreach (var payload in snapshot.Unacknowledged)
                {
                    _unacked[payload.Sequence] = payload;
                }
            }
        });
        Recover<RecoveryCompleted>(_ => _reservedSequence = _lastSequence);

        Command<ConfigureOutbox>(configure =>
        {
            _encryption = configure.Encryption;
            if (!_configured)
            {
                _configured = true;
                Stash.UnstashAll();
            }
        });
        Command<EmitPayloads>(emit =>
        {
            if (_configured)
            {
                Store(emit);
            }
            else
            {
                Stash.Stash(); // how to seal it is not known yet: its pipeline is still recovering
            }
        });
        Command<AckPayloads>(Acknowledge);
        Command<ResendPayloads>(Resend);
        Command<SaveSnapshotSuccess>(s =>
        {
            DeleteMessages(s.Metadata.SequenceNr);
            DeleteSnapshots(new SnapshotSelectionCriteria(s.Metadata.SequenceNr - 1));
        });
        Command<SaveSnapshotFailure>(f => _log.Warning(f.Cause, "Snapshot of {0} failed", PersistenceId));
        Command<DeleteMessagesSuccess>(_ => { });
        Command<DeleteMessagesFailure>(f => _log.Warning(f.Cause, "Trimming the journal of {0} failed", PersistenceId));
        Command<DeleteSnapshotsSuccess>(_ => { });
        Command<DeleteSnapshotsFailure>(_ => { });
    }

    public override string PersistenceId { get; }

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
                    PayloadFormat.Build(_services.NodeId, pipelineName, p, sequence, _services.NodeSigner, _encryption));
            })
            .ToImmutableArray();
        PersistAsync(new PayloadsStored(stored), e =>
        {
            Apply(e);
            _metrics.PayloadsEmitted(e.Payloads.Length);
            _mediator.Tell(new Publish(PayloadTopics.For(_pipelineId), new PayloadBatch(_pipelineId, e.Payloads)));
            Context.System.EventStream.Publish(new LocalPayloadsStored(_pipelineId, e.Payloads));

            EvictOverflow();
            MaybeSnapshot();
        });
    }

    private void Acknowledge(AckPayloads ack)
    {
        if (ack.UpTo <= _acknowledged)
        {
            return;
        }

        Persist(new PayloadsAcknowledged(Math.Min(ack.UpTo, _lastSequence)), e =>
        {
            Apply(e);
            MaybeSnapshot();
        });
    }

    private void Resend(ResendPayloads request)
    {
        request.To.Tell(new ResendFrom(_pipelineId, _unacked.Count > 0 ? _unacked.Keys.First() - 1 : _lastSequence));
        foreach (var chunk in _unacked.Values.Where(p => p.Sequence > request.After).Chunk(ResendChunk))
        {
            request.To.Tell(new PayloadBatch(_pipelineId, [.. chunk]));
        }

        request.To.Tell(new ResendDone(_pipelineId, _lastSequence));
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

    private void Apply(PayloadsStored e)
    {
        foreach (var payload in e.Payloads)
        {
            _unacked[payload.Sequence] = payload;
            _lastSequence = Math.Max(_lastSequence, payload.Sequence);
        }
    }

    private void Apply(PayloadsAcknowledged e)
    {
        _acknowledged = Math.Max(_acknowledged, e.UpTo);
        RemoveUpTo(_acknowledged);
    }

    private void Apply(PayloadsEvicted e) => RemoveUpTo(e.UpTo);

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
            SaveSnapshot(new OutboxSnapshot(_lastSequence, _acknowledged, [.. _unacked.Values]));
        }
    }
}
