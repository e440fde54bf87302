using System.Text.Json.Nodes;
using Akka.Actor;
using Akka.Cluster;
using Akka.Cluster.Sharding;
using Akka.Event;
using Akka.Persistence;
using Naeural.Actors.Commands;
using Naeural.Actors.Payloads;
using Naeural.Actors.Replication;
using Naeural.Actors.Security;
using Naeural.Actors.Sharding;
using Naeural.Actors.Telemetry;
using Naeural.Actors.Hosting;

namespace Naeural.Actors.Pipelines;

/// <summary>
/// One deployed pipeline (entity id <c>{owner}/{name}</c>), sharded and persistent. Every command is checked before it
/// touches state: signature, freshness, nonce, owner, then the spec; only then is an event persisted, and state changes
/// only when an event is applied. The running part (data capture, plugin instances, back-pressure) is its child
/// <see cref="PipelineRunner"/>; a deploy is answered once the runner reports every instance initialised, so the developer's
/// <c>Deploy</c> completes only when the pipeline really runs, and a create whose plugins fail to initialise is rolled back.
/// </summary>
public sealed class PipelineEntity : ReceivePersistentActor, IWithTimers
{
    public const string TypeName = "pipeline";

    private readonly string _pipelineId;
    private readonly PipelineServices _services;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly Dictionary<long, (IActorRef ReplyTo, string Action, CommandStamp Stamp, long Shared)> _awaitingRunner = [];
    private readonly Dictionary<long, (IActorRef ReplyTo, object Answer)> _awaitingShare = [];
    private readonly HashSet<long> _sharedEarly = [];
    private PipelineState _state = PipelineState.Empty;
    private IActorRef _runner = ActorRefs.Nobody;
    private IActorRef _outbox = ActorRefs.Nobody;
    private int _outboxGeneration;
    private SignedCommand? _current;
    private bool _restoring;
    private long _historyVersion;
    private long _sharedBefore;
    private Action? _afterRestored;
    private bool _stopping;

    public PipelineEntity(string pipelineId, PipelineServices services)
    {
        _pipelineId = pipelineId;
        _services = services;
        PersistenceId = $"pipeline-{pipelineId}";

        Recover<IPipelineEvent>(Apply);
        Recover<SnapshotOffer>(offer =>
        {
            if (offer.Snapshot is PipelineSnapshot snapshot)
            {
                _state = new PipelineState(snapshot.Owner, snapshot.SpecJson is null ? null : LoadSpec(snapshot.SpecJson),
                    snapshot.Status, snapshot.Version, snapshot.RecentNonces) { OwnerPublicKey = snapshot.OwnerPublicKey };
            }
        });
        Recover<RecoveryCompleted>(_ =>
        {
            if (_services.Replicated)
            {
                GatherFromReplicas();
            }
            else
            {
                OnRecovered();
            }
        });

        Command<PipelineCommandRequest>(Handle);
        Command<GetPipelineStatus>(_ => Sender.Tell(Status()));
        Command<RunnerReady>(OnRunnerReady);
        Command<HistoryShared>(OnHistoryShared);
        Command<ResendPayloads>(ForwardToOutbox);
        Command<AckPayloads>(ForwardToOutbox);
        Command<OpenPayloadSubscription>(ForwardToOutbox);
        Command<StopEntity>(_ => StopOnceAnswered());
        Command<StopNow>(_ => Context.Stop(Self));
        Command<Terminated>(t => t.ActorRef.Equals(_outbox), _ =>
        {
            _log.Warning("Outbox of {PipelineId} stopped; starting it again", _pipelineId);
            _outbox = StartOutbox();
            ConfigureOutbox();
            _runner.Tell(new OutboxReplaced(_outbox));
        });
        Command<SaveSnapshotSuccess>(s => DeleteSnapshots(new SnapshotSelectionCriteria(s.Metadata.SequenceNr - 1)));
        Command<SaveSnapshotFailure>(f => _log.Warning(f.Cause, "Snapshot of {PersistenceId} failed", PersistenceId));
        Command<DeleteSnapshotsSuccess>(_ => { });
        Command<DeleteSnapshotsFailure>(f => _log.Warning(f.Cause, "Deleting old snapshots of {PersistenceId} failed", PersistenceId));
    }

    /// <summary>How long a passivated entity waits for the replicas before it stops with answers unsent.</summary>
    private static readonly TimeSpan AnswersOutlive = TimeSpan.FromSeconds(30);

    public override string PersistenceId { get; }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(string pipelineId, PipelineServices services) =>
        Akka.Actor.Props.Create(() => new PipelineEntity(pipelineId, services));

    protected override void PostStop()
    {
        Context.System.EventStream.Publish(new PipelineEntityStopped(_pipelineId));
        base.PostStop();
    }

    protected override void PreStart()
    {
        _outbox = StartOutbox();
        _runner = Context.ActorOf(PipelineRunner.Props(_pipelineId, _services, _outbox), "runner");
        base.PreStart();
    }

    /// <summary>The outbox stops if its journal fails; it is started again (recovering what it had) and the runner told.</summary>
    private IActorRef StartOutbox()
    {
        var outbox = Context.ActorOf(PayloadOutbox.Props(_pipelineId, _services), $"{PayloadOutbox.Name}-{++_outboxGeneration}");
        Context.Watch(outbox);
        return outbox;
    }

    /// <summary>Subscribers reach the outbox through its pipeline (a subscriber may come first: the empty outbox answers).</summary>
    private void ForwardToOutbox(object message) => _outbox.Forward(message);

    /// <summary>
    /// Tells the outbox how to seal what it emits (it holds payloads back until told): for the owner's key when the spec asks
    /// for <c>ENCRYPT_PAYLOADS</c>, else in clear. Told after recovery and after every event, before the runner hears of it.
    /// </summary>
    private void ConfigureOutbox()
    {
        var encryption = _state.Spec?.EncryptPayloads == true && _state.OwnerPublicKey is { } key && _services.PayloadCipher is { } cipher
            ? new PayloadEncryption(cipher, Convert.FromHexString(key.AsSpan(2)), _state.Owner!)
            : null;
        _outbox.Tell(new ConfigureOutbox(encryption));
    }

    /// <summary>
    /// Where members keep their own stores, a pipeline that wakes on a node may have a history this node's journal lacks (it
    /// ran elsewhere): the replicas' owner-signed commands newer than what was recovered are applied again, in version order,
    /// before anything else is handled. Commands wait meanwhile.
    /// </summary>
    private void GatherFromReplicas()
    {
        BecomeStacked(() =>
        {
            Command<ReplicaContent>(content =>
            {
                _historyVersion = content.History.IsDefaultOrEmpty ? 0 : content.History.Max(e => e.Version);
                _sharedBefore = _historyVersion; // read from the replicas: already held there
                Restore(content.History);
            });
            Command<Status.Failure>(failure =>
            {
                _log.Warning("Replicas of {PipelineId} did not answer ({Reason}); it goes on with what this node holds", _pipelineId, failure.Cause.Message);
                Restore([]);
            });
            CommandAny(_ => Stash.Stash());
        });
        NodeActors.Find<PipelineReplica>(Context.System).Ask<ReplicaContent>(new GatherReplica(_pipelineId), TimeSpan.FromSeconds(15)).PipeTo(Self);
    }

    /// <summary>
    /// Applies the replicated commands one at a time, each after the previous one's event is persisted and applied (a later
    /// command is checked against the state the earlier ones made); the runner starts once all are in. Other commands wait
    /// (stashed) until then.
    /// </summary>
    private void Restore(IEnumerable<HistoryEntry> entries)
    {
        _restoring = true;
        // Owner-signed time orders the history (hosts number versions each on its own); what this node already applied, or
        // anything older than the latest command it applied, is skipped: a replayed old command changes nothing. A pipeline
        // unknown here starts from its latest create (an earlier one was rolled back).
        var opened = entries
            .Select(e => (Entry: e, Command: TryOpen(e)))
            .Where(e => e.Command is { } c && c.PipelineId == _pipelineId)
            .Select(e => (e.Entry, Command: e.Command!))
            .OrderBy(e => e.Command.TimeMs).ThenBy(e => e.Command.Nonce, StringComparer.Ordinal)
            .ToList();
        var lastCreate = opened.FindLastIndex(e => e.Command.Action == PipelineActions.Create);
        var pending = new Queue<(HistoryEntry Entry, CommandEnvelope Command)>(_state.Exists || lastCreate < 0 ? opened : opened.Skip(lastCreate));
        var restored = 0;

        void Next()
        {
            while (pending.TryDequeue(out var next))
            {
                var (entry, command) = next;
                var latest = _state.RecentNonces.IsEmpty ? long.MinValue : _state.RecentNonces.Values.Max();
                if (_state.RecentNonces.ContainsKey(command.Nonce) || command.TimeMs < latest || _state.Status == PipelineStatus.Archived
                    || (!_state.Exists && command.Action != PipelineActions.Create))
                {
                    continue;
                }

                try
                {
                    _current = entry.Command;
                    _afterRestored = null;
                    Execute(command);
                    restored++;
                    if (_afterRestored is not null)
                    {
                        _afterRestored = Next; // its event is being persisted: the next one comes once it is applied
                        return;
                    }
                }
                catch (CommandRejectedException e)
                {
                    _log.Warning("Replicated command {Version} of {PipelineId} not applied: {Code} {Reason}", entry.Version, _pipelineId, e.Code, e.Reason);
                }
            }

            _restoring = false;
            _current = null;
            if (restored > 0)
            {
                _log.Info("Pipeline {PipelineId} restored {Count} command(s) from its replicas, now at version {Version}", _pipelineId, restored, _state.Version);
            }

            UnbecomeStacked(); // commands that came meanwhile were stashed: now they are handled
            OnRecovered();
            Stash.UnstashAll();
        }

        Next();
    }

    private CommandEnvelope? TryOpen(HistoryEntry entry)
    {
        try
        {
            return entry?.Command is null ? null : CommandEnvelope.Open(entry.Command, _services.Verifier, _services.Settings.NetworkId,
                _services.Time.GetUtcNow(), TimeSpan.MaxValue, _services.Settings.MaxCommandBytes);
        }
        catch (CommandRejectedException)
        {
            return null;
        }
    }

    private void OnRecovered()
    {
        ConfigureOutbox();
        PublishSummary();
        if (_state.Status == PipelineStatus.Running && _state.Owner is { } owner && !_services.Allows(owner))
        {
            // Woken on a node that does not run this owner's work (re-homed by sharding, or a replica's wake): it does not run here.
            _log.Warning("Pipeline {PipelineId} woke on node {NodeId}, which does not allow its owner: not started here", _pipelineId, _services.NodeId);
            return;
        }

        if (_state.Status == PipelineStatus.Running)
        {
            _runner.Tell(new RunSpec(_state.Spec!, _state.Owner!, _state.Version));
            _runner.Tell(new PublishNotification(NotificationSeverity.Info, NotificationCodes.Recovered,
                $"pipeline recovered at version {_state.Version} on node {_services.NodeId}"));
        }
    }

    private void Handle(PipelineCommandRequest request)
    {
        CommandEnvelope command;
        try
        {
            command = CommandEnvelope.Open(request.Command, _services.Verifier, _services.Settings.NetworkId, _services.Time.GetUtcNow(),
                _services.Settings.CommandFreshness, _services.Settings.MaxCommandBytes);
            Authorize(command);
        }
        catch (CommandRejectedException e)
        {
            NodeMetrics.For(Context.System).CommandRejected(e.Code, "entity");
            Sender.Tell(new CommandRejected(_pipelineId, ActionOf(request), e.Code, e.Reason));
            return;
        }

        if (command.Action == PipelineActions.Create && !_state.Exists && MisfitHere(command) is { } misfit)
        {
            // The shard was allocated here before the create came (a read asked first): refuse, so the front door tries its
            // next choice, and give the shard up to the coordinator's node, which moves it where the create fits.
            _log.Info("Pipeline {PipelineId} does not fit this node ({Reason}); giving its shard up", _pipelineId, misfit);
            Sender.Tell(new Placement.HostRefused(_pipelineId, $"node {_services.NodeId} holds its shard but {misfit}"));
            if (Cluster.Get(Context.System) is { } cluster && cluster.State.Members.Where(m => m.Status == MemberStatus.Up)
                    .OrderBy(m => m, Member.AgeOrdering).FirstOrDefault() is { } oldest)
            {
                Context.ActorSelection(oldest.Address + Placement.PlacementAdvisor.Path).Tell(Placement.ShardMisplaced.Sign(_pipelineId, request, _services.NodeSigner, _services.Settings.NetworkId, _services.Time.GetUtcNow()));
            }

            return;
        }

        try
        {
            _current = request.Command;
            Execute(command);
        }
        catch (CommandRejectedException e)
        {
            NodeMetrics.For(Context.System).CommandRejected(e.Code, "entity");
            Sender.Tell(new CommandRejected(_pipelineId, command.Action, e.Code, e.Reason));
        }
    }

    /// <summary>Why a new pipeline's create does not fit this node by its own <c>PLACEMENT</c> and this node's own heartbeat, or null.</summary>
    private string? MisfitHere(CommandEnvelope create)
    {
        var errors = new List<SpecError>();
        var requirements = create.Payload is JsonObject payload ? Placement.PlacementRequirements.FromSpec(payload, errors) : Placement.PlacementRequirements.None;
        return errors.Count > 0 ? null : _services.Board.MisfitOf(_services.NodeId, requirements, create.Owner);
    }

    private void Authorize(CommandEnvelope command)
    {
        if (command.PipelineId != _pipelineId)
        {
            throw new CommandRejectedException(RejectionCodes.Malformed, $"command names pipeline {command.PipelineId}, sent to {_pipelineId}");
        }

        if (_state.RecentNonces.ContainsKey(command.Nonce))
        {
            throw new CommandRejectedException(RejectionCodes.Replayed, $"nonce {command.Nonce} was already used: a command is obeyed once");
        }

        if (AccessRule.RefuseUnlessOwnerOrOperator(command.Signer, command.Owner, $"pipeline {command.PipelineName}", _services.NodeId) is { } notOwner)
        {
            throw notOwner;
        }

        if (!_services.Allows(command.Owner, command.Signer))
        {
            throw new CommandRejectedException(RejectionCodes.NotAllowed, _services.NotAllowedReason(command.Owner));
        }

        if (_state.Status == PipelineStatus.Archived)
        {
            throw new CommandRejectedException(RejectionCodes.Archived, $"pipeline {command.PipelineName} is archived");
        }

        if (!_state.Exists && command.Action != PipelineActions.Create)
        {
            throw new CommandRejectedException(RejectionCodes.UnknownPipeline, $"pipeline {command.PipelineName} of {command.Owner} does not exist");
        }
    }

    private void Execute(CommandEnvelope command)
    {
        var stamp = new CommandStamp(command.Signer, command.Nonce, command.TimeMs);
        switch (command.Action)
        {
            case PipelineActions.Create:
                if (_state.Exists)
                {
                    throw new CommandRejectedException(RejectionCodes.AlreadyExists, $"pipeline {command.PipelineName} already exists: use {PipelineActions.UpdateConfig}");
                }

                var spec = ValidateSpec(PayloadObject(command), command.PipelineName);
                var ownerKey = AccountAddress.Same(command.Signer, command.Owner) ? command.SignerPublicKey : null;
                RequireEncryptable(spec, ownerKey);
                PersistThen(new PipelineCreated(command.Owner, spec.Json, stamp, ownerKey), awaitRunner: true, command.Action);
                break;
            case PipelineActions.UpdateConfig:
                var merged = ConfigMerge.Merge(_state.Spec!.ToJsonObject(), PayloadObject(command));
                ChangeSpec(command, merged, stamp);
                break;
            case PipelineActions.AddInstance:
            case PipelineActions.UpdateInstance:
            case PipelineActions.RemoveInstance:
                ChangeSpec(command, InstanceEdit.Apply(_state.Spec!, command.Action, PayloadObject(command)), stamp);
                break;
            case PipelineActions.PipelineCommand:
                RequireRunning(command);
                PersistThen(new PipelineCommandDelivered(command.Action, stamp), awaitRunner: false, command.Action,
                    then: () => _runner.Tell(new ForwardToCapture(command.Payload?.ToJsonString() ?? "null")));
                break;
            case PipelineActions.InstanceCommand:
                RequireRunning(command);
                var target = InstanceEdit.Target(_state.Spec!, PayloadObject(command));
                PersistThen(new PipelineCommandDelivered(command.Action, stamp), awaitRunner: false, command.Action,
                    then: () => _runner.Tell(new ForwardToInstance(target.Signature, target.InstanceId, target.CommandJson)));
                break;
            case PipelineActions.Stop:
                PersistThen(new PipelineStatusChanged(PipelineStatus.Stopped, stamp), awaitRunner: false, command.Action,
                    then: () => _runner.Tell(StopRunning.Instance));
                break;
            case PipelineActions.Start:
                PersistThen(new PipelineStatusChanged(PipelineStatus.Running, stamp), awaitRunner: true, command.Action);
                break;
            case PipelineActions.Archive:
                PersistThen(new PipelineStatusChanged(PipelineStatus.Archived, stamp), awaitRunner: false, command.Action, then: () =>
                {
                    _runner.Tell(StopRunning.Instance);
                    Context.Parent.Tell(new Passivate(StopEntity.Instance));
                });
                break;
            default:
                throw new CommandRejectedException(RejectionCodes.UnknownAction, $"{command.Action} is not a pipeline command");
        }
    }

    private void ChangeSpec(CommandEnvelope command, JsonObject json, CommandStamp stamp)
    {
        var spec = ValidateSpec(json, command.PipelineName);
        RequireEncryptable(spec, _state.OwnerPublicKey);
        PersistThen(new PipelineSpecChanged(command.Action, spec.Json, stamp), awaitRunner: _state.Status == PipelineStatus.Running, command.Action);
    }

    private PipelineSpec ValidateSpec(JsonObject json, string pipelineName)
    {
        var result = _services.Parser.Validate(json);
        if (!result.IsValid)
        {
            throw new CommandRejectedException(RejectionCodes.InvalidSpec, result.ErrorText);
        }

        if (result.Spec!.Name != pipelineName)
        {
            throw new CommandRejectedException(RejectionCodes.InvalidSpec, $"NAME: must be '{pipelineName}', the pipeline the command names");
        }

        return result.Spec;
    }

    /// <summary>
    /// <c>ENCRYPT_PAYLOADS</c> needs this node's cipher and the owner's public key, which the node learns only from the
    /// owner's own signature on the create (a key sent in clear could be anyone's).
    /// </summary>
    private void RequireEncryptable(PipelineSpec spec, string? ownerPublicKey)
    {
        if (!spec.EncryptPayloads)
        {
            return;
        }

        if (_services.PayloadCipher is null)
        {
            throw new CommandRejectedException(RejectionCodes.InvalidSpec, $"{PipelineSpec.EncryptPayloadsKey}: node {_services.NodeId} cannot encrypt payloads");
        }

        if (ownerPublicKey is null)
        {
            throw new CommandRejectedException(RejectionCodes.InvalidSpec,
                $"{PipelineSpec.EncryptPayloadsKey}: the owner's key is unknown; it is learnt from the owner's own signature on {PipelineActions.Create}");
        }
    }

    private void RequireRunning(CommandEnvelope command)
    {
        if (_state.Status != PipelineStatus.Running)
        {
            throw new CommandRejectedException(RejectionCodes.UnknownInstance, $"pipeline {command.PipelineName} is {_state.Status}, not running");
        }
    }

    private void PersistThen(IPipelineEvent @event, bool awaitRunner, string action, Action? then = null)
    {
        var replyTo = Sender;
        var command = _current;
        if (_restoring)
        {
            // Replayed from the replicas: the runner starts once all are applied; the restore goes on after this one is.
            _afterRestored = () => { };
            Persist(@event, e =>
            {
                Apply(e);
                var next = _afterRestored;
                _afterRestored = null;
                next?.Invoke();
            });
            return;
        }

        Persist(@event, e =>
        {
            Apply(e);
            var shared = Share(command, e);
            ConfigureOutbox();
            then?.Invoke();
            PublishSummary();
            if (awaitRunner)
            {
                _awaitingRunner[_state.Version] = (replyTo, action, e.Stamp, shared);
                _runner.Tell(new RunSpec(_state.Spec!, _state.Owner!, _state.Version));
            }
            else
            {
                AnswerOnceShared(shared, replyTo, new CommandAccepted(_pipelineId, action, _state.Version, NotificationCodes.ConfigOk, $"{action} done"));
            }

            if (LastSequenceNr % _services.Settings.SnapshotEvery == 0)
            {
                SaveSnapshot(_state.ToSnapshot());
            }
        });
    }

    /// <summary>
    /// An owner's accepted command goes to the pipeline's replicas (operators' commands stay with this node); returns the
    /// history version its answer waits for (0: none, answered at once).
    /// </summary>
    private long Share(SignedCommand? command, IPipelineEvent e)
    {
        if (!_services.Replicated || command is null || e is PipelineCreationRolledBack || !AccountAddress.Same(e.Stamp.Signer, _state.Owner))
        {
            return 0;
        }

        // Versions in the shared history only go up, whichever node numbered the earlier ones.
        _historyVersion = Math.Max(_historyVersion + 1, _state.Version);
        NodeActors.Find<PipelineReplica>(Context.System).Tell(new ShareHistory(_pipelineId, [new HistoryEntry(_historyVersion, command)]));
        return _historyVersion;
    }

    /// <summary>
    /// Answers the owner once another member holds the command's history (<paramref name="shared"/>): this node may be lost
    /// the moment the answer leaves, and what its owner was told is done comes back with the pipeline.
    /// </summary>
    private void AnswerOnceShared(long shared, IActorRef replyTo, object answer)
    {
        if (shared <= _sharedBefore || _sharedEarly.Remove(shared))
        {
            replyTo.Tell(answer);
            return;
        }

        _awaitingShare[shared] = (replyTo, answer);
    }

    /// <summary>
    /// A replica holds the entry of exactly this version (a later one being held says nothing of an earlier one, which may
    /// have been refused): its answer goes now, or when it is ready (a deploy answers once the pipeline runs).
    /// </summary>
    private void OnHistoryShared(HistoryShared shared)
    {
        if (_awaitingShare.Remove(shared.Version, out var waiting))
        {
            waiting.ReplyTo.Tell(waiting.Answer);
        }
        else if (shared.Version > _sharedBefore)
        {
            _sharedEarly.Add(shared.Version);
        }

        if (_stopping && _awaitingShare.Count == 0)
        {
            Context.Stop(Self);
        }
    }

    /// <summary>
    /// Passivated (as after an archive): stops once the answers that wait for the replicas are sent, or after
    /// <see cref="AnswersOutlive"/> (the replicas did not confirm: the answers are dropped, the owner's client times out).
    /// </summary>
    private void StopOnceAnswered()
    {
        if (_awaitingShare.Count == 0)
        {
            Context.Stop(Self);
            return;
        }

        if (_stopping)
        {
            return; // told twice (passivated, then handed off): the first deadline stands
        }

        _stopping = true;
        Timers.StartSingleTimer(StopNow.Instance, StopNow.Instance, AnswersOutlive);
    }

    private void OnRunnerReady(RunnerReady ready)
    {
        if (!_awaitingRunner.Remove(ready.Version, out var waiting))
        {
            return;
        }

        if (ready.Superseded)
        {
            AnswerOnceShared(waiting.Shared, waiting.ReplyTo, new CommandAccepted(_pipelineId, waiting.Action, ready.Version, NotificationCodes.ConfigOk,
                $"{waiting.Action} applied; a later command changed the pipeline before it finished starting"));
            return;
        }

        if (ready.Errors.IsEmpty)
        {
            AnswerOnceShared(waiting.Shared, waiting.ReplyTo, new CommandAccepted(_pipelineId, waiting.Action, ready.Version, NotificationCodes.PipelineOk,
                $"pipeline {_state.Spec?.Name} runs {ready.Instances} plugin instance(s) on node {_services.NodeId}"));
            return;
        }

        var code = ready.TimedOut ? RejectionCodes.Timeout : RejectionCodes.InitFailed;
        var reason = string.Join("; ", ready.Errors);
        if (waiting.Action == PipelineActions.Create && _state.Version == ready.Version)
        {
            Persist(new PipelineCreationRolledBack(reason, waiting.Stamp), e =>
            {
                Apply(e);
                ConfigureOutbox();
                _runner.Tell(StopRunning.Instance);
                PublishSummary();
                _sharedEarly.Remove(waiting.Shared);
                waiting.ReplyTo.Tell(new CommandRejected(_pipelineId, waiting.Action, code, $"{reason}; nothing was deployed"));
            });
            return;
        }

        AnswerOnceShared(waiting.Shared, waiting.ReplyTo, new CommandRejected(_pipelineId, waiting.Action, code, reason));
    }

    /// <summary>Every event of the journal, replayed or just persisted, changes the state here and only here.</summary>
    private void Apply(IPipelineEvent e)
    {
        var stamped = _state.Stamped(e.Stamp, Window);
        _state = e switch
        {
            PipelineCreated created => stamped with
            {
                Owner = created.Owner, Spec = LoadSpec(created.SpecJson), Status = PipelineStatus.Running, OwnerPublicKey = created.OwnerPublicKey,
            },
            PipelineSpecChanged changed => stamped with { Spec = LoadSpec(changed.SpecJson) },
            PipelineStatusChanged status => stamped with { Status = status.Status },
            PipelineCommandDelivered => stamped,
            PipelineCreationRolledBack => stamped with { Owner = null, Spec = null, Status = PipelineStatus.None, OwnerPublicKey = null },
            _ => throw new InvalidOperationException($"{_pipelineId}: no rule applies a {e.GetType().Name}"),
        };
    }

    private TimeSpan Window => _services.Settings.CommandFreshness;

    private PipelineSpec LoadSpec(string json)
    {
        var result = _services.TrustedParser.Parse(json);
        return result.Spec ?? throw new InvalidOperationException($"stored spec of {_pipelineId} no longer parses: {result.ErrorText}");
    }

    private void PublishSummary() => Context.System.EventStream.Publish(new PipelineSummaryChanged(Summary()));

    private PipelineSummary Summary() => new(_pipelineId, _state.Owner ?? "", _state.Spec?.Name ?? "", _state.Spec?.Type ?? "",
        _state.Status, _state.Version, _services.NodeId, _state.Spec?.AllInstances().Count() ?? 0, _services.Time.GetUtcNow());

    private PipelineStatusReport Status() => new(_pipelineId, _state.Status, _state.Version, _state.Spec?.Json,
        [.. _state.Spec?.AllInstances().Select(i => $"{i.Plugin.Signature}/{i.Instance.InstanceId}") ?? []], _services.NodeId);

    private static JsonObject PayloadObject(CommandEnvelope command) =>
        command.Payload as JsonObject ?? throw new CommandRejectedException(RejectionCodes.InvalidSpec, $"PAYLOAD: {command.Action} needs a JSON object");

    private static string ActionOf(PipelineCommandRequest request) =>
        CommandEnvelope.TryPeek(request.Command, out _, out var action) ? action : "";

    /// <summary>Local, to itself: stop now, whatever still waits.</summary>
    private sealed record StopNow
    {
        public static StopNow Instance { get; } = new();
    }
}
