using Akka.Actor;
using Akka.Cluster;
using Akka.Cluster.Sharding;
using Akka.Event;
using Naeural.Actors.Pipelines;

namespace Naeural.Actors.Jobs;

/// <summary>
/// Runs one share of a job (entity id <c>{owner}/{name}#{index}</c>, one shard per share). Not persistent: a share is pure
/// input, and a share that is lost with its node is simply run again where sharding puts it next. It runs only the share of a
/// job its owner signed (<see cref="ShareOrder"/>: the rows, plugin and config come from the owner's <c>START_JOB</c>, which
/// every <see cref="RunShare"/> carries); any other <see cref="RunShare"/> is dropped with a warning and gets no answer. Every
/// report (<see cref="ShareStarted"/>, <see cref="ShareCompleted"/>, <see cref="ShareFailed"/>) is signed by this node over the
/// challenge of the <see cref="RunShare"/> it answers (<see cref="JobShareSigning"/>). The plugin's map runs off the actor; a
/// <see cref="RunShare"/> that arrives meanwhile is answered <see cref="ShareStarted"/>, one that arrives after gets the
/// answer again. Idle for <see cref="IdleAfterAnswer"/> after answering, the worker passivates. Plugin exceptions become
/// <see cref="ShareFailed"/>; nothing here restarts (the default supervisor restarts the entity on a bug in this class, and
/// the job re-sends the share).
/// </summary>
public sealed class JobShareWorker : ReceiveActor
{
    public const string TypeName = "job-share";

    public static readonly TimeSpan IdleAfterAnswer = TimeSpan.FromMinutes(1);

    private readonly PipelineServices _services;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly Dictionary<IActorRef, RunShare> _waiting = [];
    private readonly CancellationTokenSource _cancel = new();
    private readonly string _address;
    private (string StartJson, ShareOrderResult Result)? _opened;
    private Outcome? _outcome;
    private bool _running;

    public JobShareWorker(PipelineServices services)
    {
        _services = services;
        _address = Cluster.Get(Context.System).SelfAddress.ToString();
        Receive<RunShare>(Run);
        Receive<MapDone>(done => Answer(done.Outcome));
        Receive<ReceiveTimeout>(_ => Context.Parent.Tell(new Passivate(PoisonPill.Instance)));
    }

    public static Props Props(PipelineServices services) => Akka.Actor.Props.Create(() => new JobShareWorker(services));

    protected override void PostStop()
    {
        _cancel.Cancel();
        _cancel.Dispose();
    }

    private void Run(RunShare run)
    {
        var order = Open(run);
        if (order.Dropped is { } dropped)
        {
            _log.Warning("Dropped RunShare {Index} of job {JobId} from {Sender}: {Reason}", run.Index, run.JobId, Sender.Path, dropped);
            return;
        }

        Sender.Tell(JobShareSigning.SignStarted(run, _address, _services.NodeSigner, _services.Settings.NetworkId));
        if (_outcome is { } outcome)
        {
            Sender.Tell(Sign(outcome, run));
            return;
        }

        _waiting[Sender] = run;
        if (_running)
        {
            return;
        }

        if (order.Refusal is { } refusal)
        {
            Answer(new Outcome(null, refusal));
            return;
        }

        _running = true;
        var work = order.Work!;
        var token = _cancel.Token;
        Task.Run(async () =>
        {
            var partial = await work.Plugin.MapAsync(work.Share, work.Config, token);
            return partial.ToJsonString();
        }, token).PipeTo(Self,
            success: partial => new MapDone(new Outcome(partial, null)),
            failure: e => new MapDone(new Outcome(null, e.GetBaseException().Message)));
    }

    /// <summary>Opens <paramref name="run"/>'s order, verifying its command once (the job's re-sends carry the same one).</summary>
    private ShareOrderResult Open(RunShare run)
    {
        if (_opened is { } opened)
        {
            // One worker, one command: its outcome is never handed to a run of another START_JOB of the same job name.
            return !string.Equals(run.Start?.Json, opened.StartJson, StringComparison.Ordinal)
                ? ShareOrderResult.Drop($"Start is another {JobActions.Start} than the one this share runs")
                : JobShareSigning.IsChallenge(run.Challenge) ? opened.Result : ShareOrderResult.Drop("Challenge is not 32 hex digits");
        }

        var result = ShareOrder.Open(run, _services);
        if (result.Dropped is null)
        {
            _opened = (run.Start!.Json, result);
        }

        return result;
    }

    private object Sign(Outcome outcome, RunShare run) => outcome.Partial is { } partial
        ? JobShareSigning.SignCompleted(run, partial, _services.NodeSigner, _services.Settings.NetworkId)
        : JobShareSigning.SignFailed(run, outcome.Failure!, _services.NodeSigner, _services.Settings.NetworkId);

    private void Answer(Outcome outcome)
    {
        _outcome = outcome;
        _running = false;
        if (outcome.Failure is { } failure)
        {
            _log.Warning("Share {ShareId} failed: {Reason}", Uri.UnescapeDataString(Self.Path.Name), failure);
        }

        foreach (var (job, run) in _waiting)
        {
            job.Tell(Sign(outcome, run));
        }

        _waiting.Clear();
        Context.SetReceiveTimeout(IdleAfterAnswer);
    }

    /// <summary>A share's outcome: its partial result (JSON) or why it failed.</summary>
    private sealed record Outcome(string? Partial, string? Failure);

    private sealed record MapDone(Outcome Outcome);
}
