using System.Text.Json;
using System.Text.Json.Nodes;
using Akka.Actor;
using Akka.Cluster;
using Akka.Cluster.Sharding;
using Akka.Event;
using Naeural.Actors.Pipelines;

namespace Naeural.Actors.Jobs;

/// <summary>
/// Runs one share of a job (entity id <c>{owner}/{name}#{index}</c>, one shard per share). Not persistent: a share is pure
/// input, and a share that is lost with its node is simply run again where sharding puts it next. The plugin's map runs off
/// the actor; a <see cref="RunShare"/> that arrives meanwhile is answered <see cref="ShareStarted"/>, one that arrives after
/// gets the answer again. Idle for <see cref="IdleAfterAnswer"/> after answering, the worker passivates. Plugin exceptions
/// become <see cref="ShareFailed"/>; nothing here restarts (the default supervisor restarts the entity on a bug in this class,
/// and the job re-sends the share).
/// </summary>
public sealed class JobShareWorker : ReceiveActor
{
    public const string TypeName = "job-share";

    public static readonly TimeSpan IdleAfterAnswer = TimeSpan.FromMinutes(1);

    private readonly PipelineServices _services;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly HashSet<IActorRef> _waiting = [];
    private readonly CancellationTokenSource _cancel = new();
    private object? _answer;
    private bool _running;

    public JobShareWorker(PipelineServices services)
    {
        _services = services;
        Receive<RunShare>(Run);
        Receive<MapDone>(done => Answer(done.Answer));
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
        if (_answer is not null)
        {
            Sender.Tell(_answer);
            return;
        }

        _waiting.Add(Sender);
        Sender.Tell(new ShareStarted(run.JobId, run.Index, _services.NodeId, Cluster.Get(Context.System).SelfAddress.ToString()));
        if (_running)
        {
            return;
        }

        var owner = run.JobId[..run.JobId.IndexOf('/')];
        var plugin = _services.Jobs.Find(run.Plugin);
        if (!_services.Allows(owner) || plugin is null)
        {
            Answer(new ShareFailed(run.JobId, run.Index, plugin is null
                ? $"job plugin {run.Plugin} is not installed here"
                : _services.NotAllowedReason(owner), _services.NodeId));
            return;
        }

        _running = true;
        var nodeId = _services.NodeId;
        var token = _cancel.Token;
        Task.Run(async () =>
        {
            var rows = JsonNode.Parse(run.RowsJson, documentOptions: new JsonDocumentOptions { MaxDepth = 64 })!.AsArray();
            var config = JsonNode.Parse(run.ConfigJson)!.AsObject();
            var share = new JobShare(run.Index, run.Offset, [.. rows.Select(r => r?.DeepClone())]);
            var partial = await plugin.MapAsync(share, config, token);
            return partial.ToJsonString();
        }, token).PipeTo(Self,
            success: partial => new MapDone(new ShareCompleted(run.JobId, run.Index, partial, nodeId)),
            failure: e => new MapDone(new ShareFailed(run.JobId, run.Index, e.GetBaseException().Message, nodeId)));
    }

    private void Answer(object answer)
    {
        _answer = answer;
        _running = false;
        if (answer is ShareFailed failed)
        {
            _log.Warning("Share {0} of job {1} failed: {2}", failed.Index, failed.JobId, failed.Reason);
        }

        foreach (var job in _waiting)
        {
            job.Tell(answer);
        }

        _waiting.Clear();
        Context.SetReceiveTimeout(IdleAfterAnswer);
    }

    private sealed record MapDone(object Answer);
}
