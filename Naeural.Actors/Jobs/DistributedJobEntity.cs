using System.Collections.Immutable;
using System.Text.Json.Nodes;
using Akka.Actor;
using Akka.Cluster;
using Akka.Cluster.Sharding;
using Akka.Event;
using Akka.Persistence;
using Naeural.Actors.Commands;
using Naeural.Actors.Pipelines;
using Naeural.Actors.Sharding;
using Naeural.Actors.Security;

namespace Naeural.Actors.Jobs;

/// <summary>
/// One distributed job (entity id <c>{owner}/{name}</c>), sharded and persistent: the original's "chain-dist". On
/// <c>START_JOB</c> it persists the spec, splits <c>INPUT</c> into <c>WORKERS</c> shares and sends each to its
/// <see cref="JobShareWorker"/> (region <c>job-share</c>, one shard per share, spread over distinct nodes by
/// <see cref="ShareSpreadAllocationStrategy"/>). Each partial is persisted as it arrives, the first per share only, so a
/// share that ran twice counts once. Pending shares are re-sent every <see cref="PipelineSettings.JobShareTimeout"/> and as
/// soon as a member leaves the cluster: a live worker just says it is still running; a share whose node is gone is
/// allocated by sharding to another node and runs again there. With every partial in, the plugin reduces them in share
/// order and the result is persisted. A job is 2 + WORKERS events, so it takes no snapshots. Only the owner may start or
/// read it. The job wakes when addressed: after its node restarts, the next <c>GET_JOB</c> resumes its pending shares.
/// Every <see cref="RunShare"/> carries the owner's signed <c>START_JOB</c> (what the worker runs) and a secret challenge
/// of its share, made afresh each time the entity starts; a worker's reports count only when signed by its node key over
/// that challenge (<see cref="JobShareSigning"/>), and an answer only from a node whose signed <see cref="ShareStarted"/>
/// recorded it as running the share. Anything else is dropped with a warning and changes nothing.
/// </summary>
public sealed class DistributedJobEntity : ReceivePersistentActor, IWithTimers
{
    public const string TypeName = "job";

    private const string ResendTimer = "resend";
    private const string AfterRemovalTimer = "after-removal";
    private static readonly TimeSpan AfterRemovalDelay = TimeSpan.FromSeconds(2);

    private readonly string _jobId;
    private readonly PipelineServices _services;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly Dictionary<int, string> _runningOn = [];
    private readonly Dictionary<int, ImmutableArray<string>> _ranOn = [];
    private JobState _state = JobState.None;
    private JobSpec? _spec;
    private ImmutableArray<RunShare> _shares = [];
    private bool _startUnsigned;
    private ImmutableArray<(string Partial, string NodeId)?> _partials = [];
    private string? _result;
    private string? _error;

    public DistributedJobEntity(string jobId, PipelineServices services)
    {
        _jobId = jobId;
        _services = services;
        PersistenceId = $"job-{jobId}";

        Recover<IJobEvent>(Apply);
        Recover<RecoveryCompleted>(_ =>
        {
            if (_state == JobState.Running && _startUnsigned)
            {
                Persist(new JobFailed("the job was started before shares carried the owner's signed command; start it again"), Apply);
            }
            else if (_state == JobState.Running)
            {
                StartSending();
            }
        });

        Command<JobCommandRequest>(Handle);
        Command<GetJobStatus>(_ => Sender.Tell(Status()));
        Command<ShareStarted>(OnStarted);
        Command<ShareCompleted>(OnCompleted);
        Command<ShareFailed>(OnFailed);
        Command<ResendPending>(_ => SendPending());
        Command<ClusterEvent.MemberRemoved>(removed =>
        {
            if (_state == JobState.Running)
            {
                _log.Info("Member {Address} left while job {JobId} runs: re-sending its pending shares", removed.Member.Address, _jobId);
                SendPending();
                Timers.StartSingleTimer(AfterRemovalTimer, ResendPending.Instance, AfterRemovalDelay);
            }
        });
        Command<ClusterEvent.IClusterDomainEvent>(_ => { });
        Command<StopEntity>(_ => Context.Stop(Self));
    }

    public override string PersistenceId { get; }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(string jobId, PipelineServices services) =>
        Akka.Actor.Props.Create(() => new DistributedJobEntity(jobId, services));

    private IActorRef Workers => ClusterSharding.Get(Context.System).ShardRegion(JobShareWorker.TypeName);

    protected override void PreStart()
    {
        Cluster.Get(Context.System).Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsEvents,
            typeof(ClusterEvent.MemberRemoved));
        base.PreStart();
    }

    protected override void PostStop()
    {
        Cluster.Get(Context.System).Unsubscribe(Self);
        base.PostStop();
    }

    private void Handle(JobCommandRequest request)
    {
        var action = "";
        try
        {
            var command = CommandEnvelope.Open(request.Command, _services.Verifier, _services.Settings.NetworkId, _services.Time.GetUtcNow(),
                _services.Settings.CommandFreshness, _services.Settings.MaxCommandBytes);
            action = command.Action;
            Authorize(command);
            switch (command.Action)
            {
                case JobActions.Get when _state == JobState.None:
                    throw new CommandRejectedException(RejectionCodes.UnknownJob, $"job {command.PipelineName} of {command.Owner} does not exist");
                case JobActions.Get:
                    Sender.Tell(Status());
                    break;
                case JobActions.Start:
                    Start(command, request.Command);
                    break;
                default:
                    throw new CommandRejectedException(RejectionCodes.UnknownAction, $"{command.Action} is not a job command");
            }
        }
        catch (CommandRejectedException e)
        {
            Sender.Tell(new CommandRejected(_jobId, action, e.Code, e.Reason));
        }
    }

    private void Authorize(CommandEnvelope command)
    {
        if (command.PipelineId != _jobId)
        {
            throw new CommandRejectedException(RejectionCodes.Malformed, $"command names job {command.PipelineId}, sent to {_jobId}");
        }

        JobFrontDoor.RequireOwner(command);
        if (!_services.Allows(command.Owner, command.Signer))
        {
            throw new CommandRejectedException(RejectionCodes.NotAllowed, _services.NotAllowedReason(command.Owner));
        }
    }

    private void Start(CommandEnvelope command, SignedCommand signed)
    {
        if (_state != JobState.None)
        {
            throw new CommandRejectedException(RejectionCodes.AlreadyExists, $"job {command.PipelineName} already exists ({_state})");
        }

        var spec = JobFrontDoor.ValidateStart(command, _services);
        var replyTo = Sender;
        Persist(new JobStarted(command.Owner, spec.ToJson().ToJsonString(), new CommandStamp(command.Signer, command.Nonce, command.TimeMs), signed), e =>
        {
            Apply(e);
            replyTo.Tell(new CommandAccepted(_jobId, JobActions.Start, LastSequenceNr, JobCodes.Started,
                $"job {spec.Name} runs {spec.Plugin} over {spec.Input.Count} rows in {spec.Workers} share(s)"));
            StartSending();
        });
    }

    private void StartSending()
    {
        SendPending();
        Timers.StartPeriodicTimer(ResendTimer, ResendPending.Instance, _services.Settings.JobShareTimeout);
    }

    private void SendPending()
    {
        if (_state != JobState.Running)
        {
            return;
        }

        foreach (var share in _shares.Where(s => _partials[s.Index] is null))
        {
            Workers.Tell(share, Self);
        }
    }

    private void OnStarted(ShareStarted started)
    {
        if (!Accepts(started, started.Index, started.NodeId))
        {
            return;
        }

        _runningOn[started.Index] = started.NodeId;
        Ran(started.Index, started.NodeId);
    }

    private void OnCompleted(ShareCompleted completed)
    {
        if (!Accepts(completed, completed.Index, completed.NodeId))
        {
            return;
        }

        Ran(completed.Index, completed.NodeId);
        Persist(new SharePartialRecorded(completed.Index, completed.PartialJson, completed.NodeId), e =>
        {
            Apply(e);
            if (_partials.All(p => p is not null))
            {
                Reduce();
            }
        });
    }

    private void OnFailed(ShareFailed failed)
    {
        if (!Accepts(failed, failed.Index, failed.NodeId))
        {
            return;
        }

        Persist(new JobFailed($"share {failed.Index} failed on node {failed.NodeId}: {failed.Reason}"), e =>
        {
            Apply(e);
            Timers.CancelAll();
        });
    }

    /// <summary>
    /// True when <paramref name="report"/> may change this job: a pending share's, signed by the node it names over the
    /// share's challenge, and (a result) from a node recorded as running it. A report on a share already done is a copy from
    /// a share that ran twice (the first partial stands) and is ignored quietly; any other refusal is logged.
    /// </summary>
    private bool Accepts(object report, int index, string nodeId)
    {
        if (_state != JobState.Running || index < 0 || index >= _shares.Length || _partials[index] is not null)
        {
            return false;
        }

        var problem = JobShareSigning.Problem(report, _shares[index].Challenge, _services.Verifier, _services.Settings.NetworkId)
                      ?? (report is ShareStarted || _ranOn.GetValueOrDefault(index, []).Contains(nodeId, AccountAddress.Comparer)
                          ? null
                          : $"node {nodeId} has not reported running this share (no signed {nameof(ShareStarted)} from it)");
        if (problem is null)
        {
            return true;
        }

        _log.Warning("Dropped {Report} of share {Index} of job {JobId} claiming node {NodeId}: {Reason}",
            report.GetType().Name, index, _jobId, nodeId, problem);
        return false;
    }

    private void Reduce()
    {
        IJobEvent outcome;
        try
        {
            var plugin = _services.Jobs.Find(_spec!.Plugin)
                         ?? throw new InvalidOperationException($"job plugin {_spec.Plugin} is not installed on node {_services.NodeId}");
            var partials = _partials.Select(p => JsonNode.Parse(p!.Value.Partial)!).ToList();
            outcome = new JobCompleted(plugin.Reduce(partials, _spec.Config).ToJsonString());
        }
        catch (Exception e)
        {
            outcome = new JobFailed($"reduce failed: {e.Message}");
        }

        Persist(outcome, e =>
        {
            Apply(e);
            Timers.CancelAll();
            _log.Info("Job {JobId} {State}", _jobId, _state);
        });
    }

    private void Ran(int index, string nodeId)
    {
        var nodes = _ranOn.GetValueOrDefault(index, []);
        if (!nodes.Contains(nodeId, AccountAddress.Comparer))
        {
            _ranOn[index] = nodes.Add(nodeId);
        }
    }

    private void Apply(JobStarted e)
    {
        _spec = JobSpec.Load(e.SpecJson);
        _startUnsigned = e.Command is null;
        _shares = [.. Enumerable.Range(0, _spec.Workers).Select(i => new RunShare(_jobId, i, JobShareSigning.NewChallenge(), e.Command!))];
        _partials = [.. Enumerable.Repeat<(string, string)?>(null, _spec.Workers)];
        _state = JobState.Running;
    }

    private void Apply(SharePartialRecorded e) => _partials = _partials.SetItem(e.Index, (e.PartialJson, e.NodeId));

    private void Apply(JobCompleted e) => (_state, _result) = (JobState.Completed, e.ResultJson);

    private void Apply(JobFailed e) => (_state, _error) = (JobState.Failed, e.Reason);

    /// <summary>Every event of the journal, replayed or just persisted, changes the job here.</summary>
    private void Apply(IJobEvent e)
    {
        switch (e)
        {
            case JobStarted started:
                Apply(started);
                break;
            case SharePartialRecorded partial:
                Apply(partial);
                break;
            case JobCompleted completed:
                Apply(completed);
                break;
            case JobFailed failed:
                Apply(failed);
                break;
            default:
                throw new InvalidOperationException($"{_jobId}: no rule applies a {e.GetType().Name}");
        }
    }

    private JobStatus Status() => new(
        _jobId,
        _state,
        _spec?.Plugin,
        _spec?.Workers ?? 0,
        [.. _shares.Select(s => new JobShareStatus(
            s.Index,
            JobSpec.Split(_spec!.Input.Count, _spec.Workers, s.Index).Count,
            _partials[s.Index] is not null,
            _partials[s.Index]?.NodeId ?? _runningOn.GetValueOrDefault(s.Index),
            _ranOn.GetValueOrDefault(s.Index, [])))],
        _result,
        _error,
        _services.NodeId);

    private sealed record ResendPending
    {
        public static ResendPending Instance { get; } = new();
    }
}
