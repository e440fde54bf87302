using System.Collections.Immutable;
using Akka.Actor;
using Naeural.Actors.Telemetry;
using Akka.Event;
using Naeural.Actors.Hosting;
using Naeural.Actors.Inference;
using Naeural.Actors.Metering;
using Naeural.Inference.Models;

namespace Naeural.Inference.Serving;

/// <summary>
/// Serves one model on this node. Requests from every pipeline are gathered into batches of up to <c>MaxBatch</c> or for at
/// most <c>MaxWait</c>, run as one forward pass by an idle pooled <see cref="TorchWorker"/> (or <see cref="OnnxWorker"/>, for
/// a model of <see cref="ModelEngine.Onnx"/>; under load a busy worker is handed the next full batch, so it never waits for a
/// round trip through the server), and the results split back to each caller; requests with the same share key waiting together get one inference. A worker that throws is restarted and the
/// callers of its batch are answered with the error, never left waiting. Stops after <c>IdleTimeout</c> without requests.
/// Every sample a batch answered is reported to the node's work meter for the owner and pipeline of the request that
/// started it (requests that joined a shared inference ride along unbilled; failed batches are not billed).
/// </summary>
public sealed class ModelServer : ReceiveActor, IWithTimers
{
    private readonly ModelDescriptor _model;
    private readonly ModelServerSettings _settings;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly List<Waiting> _queue = [];
    private readonly Dictionary<string, Waiting> _queuedByShareKey = new(StringComparer.Ordinal);
    private readonly HashSet<IActorRef> _workers = [];
    private readonly HashSet<IActorRef> _failedWorkers = [];
    private readonly Dictionary<long, (IActorRef Worker, ImmutableArray<Waiting> Requests)> _inFlight = [];
    private string _device = "loading";
    private string? _loadError;
    private SharedOnnxSession? _onnx;
    private long _nextBatch;
    private long _requests;
    private long _batches;
    private int _largestBatch;
    private long _shared;
    private long _failed;
    private bool _flushDue;

    public ModelServer(ModelDescriptor model, ModelServerSettings settings)
    {
        _model = model;
        _settings = settings;
        Receive<Infer>(Enqueue);
        Receive<FlushBatch>(_ => Dispatch(flush: true));
        Receive<WorkerReady>(ready =>
        {
            _failedWorkers.Remove(Sender);
            _device = ready.Device;
            _workers.Add(Sender);
            Dispatch(flush: false);
        });
        Receive<WorkerLoadFailed>(failed =>
        {
            _log.Error("Model {Model} could not be loaded by {Worker}: {Reason}", _model.Name, Sender.Path.Name, failed.Reason);
            _workers.Remove(Sender);
            _failedWorkers.Add(Sender);
            if (_failedWorkers.Count >= Context.GetChildren().Count())
            {
                // No worker can serve: answer everyone with the reason and stop, so the next request tries afresh.
                _loadError = failed.Reason;
                FailEverything(failed.Reason);
                Retire();
            }
        });
        Receive<BatchDone>(Completed);
        Receive<Terminated>(WorkerGone);
        Receive<BatchFailed>(Failed);
        Receive<GetModelServerStats>(_ => Sender.Tell(new ModelServerStats(_model.Name, _device, _workers.Count, _requests, _batches,
            _largestBatch, _shared, _failed)));
        Receive<ReceiveTimeout>(_ =>
        {
            if (_queue.Count == 0 && _inFlight.Count == 0)
            {
                Retire();
            }
        });
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(ModelDescriptor model, ModelServerSettings settings) =>
        Akka.Actor.Props.Create(() => new ModelServer(model, settings));

    /// <summary>A worker that throws is restarted (a fresh model); its batch was already answered with the error.</summary>
    protected override SupervisorStrategy SupervisorStrategy() =>
        new OneForOneStrategy(maxNrOfRetries: 10, withinTimeRange: TimeSpan.FromMinutes(1), _ => Directive.Restart);

    protected override void PreStart()
    {
        var weights = _model.Engine == ModelEngine.Torch ? _settings.WeightsFor(_model.Name) : null;
        _onnx = _model.Engine == ModelEngine.Onnx ? new SharedOnnxSession(_model, _settings) : null;
        for (var i = 0; i < Math.Max(1, _settings.Workers); i++)
        {
            var worker = _onnx is null ? TorchWorker.Props(_model, weights, _settings) : OnnxWorker.Props(_model, _onnx);
            Context.Watch(Context.ActorOf(worker, $"worker-{i}"));
        }

        Context.SetReceiveTimeout(_settings.IdleTimeout);
    }

    /// <summary>Its workers have stopped (children stop first): the shared ONNX session is closed.</summary>
    protected override void PostStop() => _onnx?.Dispose();

    private void Enqueue(Infer request)
    {
        _requests++;
        if (_loadError is not null)
        {
            Sender.Tell(new InferenceFailed(_model.Name, _loadError, request.CorrelationId));
            return;
        }

        if (request.Input.Length != _model.InputSize)
        {
            Sender.Tell(new InferenceFailed(_model.Name,
                $"input has {request.Input.Length} values; model '{_model.Name}' takes {_model.InputSize} ({string.Join('×', _model.InputShape)})",
                request.CorrelationId));
            return;
        }

        if (request.ShareKey is { } key && _queuedByShareKey.TryGetValue(key, out var same) && same.Input.AsSpan().SequenceEqual(request.Input))
        {
            same.Callers.Add((Sender, request.CorrelationId));
            _shared++;
            return;
        }

        var waiting = new Waiting(request.Input, request.ShareKey, request.Owner, request.PipelineId, [(Sender, request.CorrelationId)]);
        _queue.Add(waiting);
        if (request.ShareKey is { } shareKey)
        {
            _queuedByShareKey.TryAdd(shareKey, waiting); // a different input under a taken key runs on its own
        }

        if (_queue.Count == 1)
        {
            Timers.StartSingleTimer(FlushBatch.Instance, FlushBatch.Instance, _settings.MaxWait);
        }

        Dispatch(flush: false);
    }

    /// <summary>Hands full batches (or, on flush, whatever waits) to idle workers.</summary>
    private void Dispatch(bool flush)
    {
        flush |= _flushDue;
        while (_queue.Count > 0 && (flush || _queue.Count >= _settings.MaxBatch) && WorkerFor(full: _queue.Count >= _settings.MaxBatch) is { } worker)
        {
            var take = Math.Min(_settings.MaxBatch, _queue.Count);
            var batch = _queue.GetRange(0, take).ToImmutableArray();
            _queue.RemoveRange(0, take);
            foreach (var waiting in batch.Where(w => w.ShareKey is not null))
            {
                // Requests share an inference only while they wait together.
                if (_queuedByShareKey.TryGetValue(waiting.ShareKey!, out var registered) && ReferenceEquals(registered, waiting))
                {
                    _queuedByShareKey.Remove(waiting.ShareKey!);
                }
            }

            var id = ++_nextBatch;
            _inFlight[id] = (worker, batch);
            _batches++;
            _largestBatch = Math.Max(_largestBatch, batch.Length);
            worker.Tell(new RunBatch(id, [.. batch.Select(w => w.Input)]));
        }

        // A flush that found no idle worker is due at once when one comes free (WorkerReady, BatchDone), not a MaxWait later.
        _flushDue = flush && _queue.Count > 0;
        if (_queue.Count > 0 && !Timers.IsTimerActive(FlushBatch.Instance))
        {
            Timers.StartSingleTimer(FlushBatch.Instance, FlushBatch.Instance, _settings.MaxWait);
        }
    }

    /// <summary>
    /// A ready worker for the next batch: an idle one, or, for a full batch, one running a single batch (it starts the next
    /// as soon as it is done, without waiting for the round trip through this server). A partial batch waits for an idle one,
    /// so that more requests can join it.
    /// </summary>
    private IActorRef? WorkerFor(bool full)
    {
        IActorRef? busyOnce = null;
        foreach (var worker in _workers)
        {
            var running = 0;
            foreach (var batch in _inFlight.Values)
            {
                running += batch.Worker.Equals(worker) ? 1 : 0;
            }

            if (running == 0)
            {
                return worker;
            }

            busyOnce ??= running == 1 && full ? worker : null;
        }

        return busyOnce;
    }

    private void Completed(BatchDone done)
    {
        if (!_inFlight.Remove(done.BatchId, out var batch))
        {
            return;
        }

        for (var i = 0; i < batch.Requests.Length; i++)
        {
            foreach (var (caller, correlationId) in batch.Requests[i].Callers)
            {
                caller.Tell(new InferenceResult(_model.Name, done.Outputs[i], correlationId));
            }
        }

        Meter(batch.Requests);
        NodeMetrics.For(Context.System).BatchRun(_model.Name, batch.Requests.Length);

        Dispatch(flush: false);
    }

    private void Failed(BatchFailed failed)
    {
        if (!_inFlight.Remove(failed.BatchId, out var batch))
        {
            return;
        }

        // The worker restarts (a fresh model) and says WorkerReady again before it gets more work.
        _workers.Remove(batch.Worker);
        FailAll(batch.Requests, failed.Reason);
    }

    /// <summary>
    /// A worker the supervisor gave up on (it kept crashing): its batch, if any, is answered; with no worker left, what waits is
    /// answered and the server stops, so nothing waits for ever and the next request starts afresh.
    /// </summary>
    private void WorkerGone(Terminated terminated)
    {
        _workers.Remove(terminated.ActorRef);
        _failedWorkers.Remove(terminated.ActorRef);
        foreach (var (id, batch) in _inFlight.Where(b => b.Value.Worker.Equals(terminated.ActorRef)).ToList())
        {
            _inFlight.Remove(id);
            FailAll(batch.Requests, "the worker running this batch stopped");
        }

        var alive = Context.GetChildren().Where(c => !c.Equals(terminated.ActorRef)).ToList();
        if (alive.Count == 0 || (_workers.Count == 0 && alive.All(_failedWorkers.Contains)))
        {
            FailEverything($"every worker of model '{_model.Name}' failed repeatedly; the model server stops (the next request starts a fresh one)");
            Retire();
        }
    }

    /// <summary>
    /// Done: the service is told and stops this server once its mailbox is drained; requests that were already on their way
    /// go back to the service (which starts a fresh server for them), so none is lost to a stopping server. A server whose
    /// model failed to load answers them with the reason instead: they were sent to a model that does not load.
    /// </summary>
    private void Retire()
    {
        Context.SetReceiveTimeout(null);
        Context.Parent.Tell(new ModelServerRetiring(_model.Name));
        Become(() =>
        {
            Receive<Infer>(request =>
            {
                if (_loadError is not null)
                {
                    _failed++;
                    Sender.Tell(new InferenceFailed(_model.Name, _loadError, request.CorrelationId));
                }
                else
                {
                    Context.Parent.Forward(request);
                }
            });
            Receive<GetModelServerStats>(_ => Sender.Tell(new ModelServerStats(_model.Name, _device, _workers.Count, _requests, _batches,
                _largestBatch, _shared, _failed)));
            ReceiveAny(_ => { });
        });
    }

    /// <summary>One unit per answered sample, reported per owner and pipeline.</summary>
    private void Meter(ImmutableArray<Waiting> answered)
    {
        foreach (var work in answered.Where(w => w.Owner is not null).GroupBy(w => (w.Owner!, w.PipelineId ?? "")))
        {
            NodeActors.Find<WorkMeter>(Context.System).Tell(new WorkDone(work.Key.Item1, work.Key.Item2, _model.Name, WorkKinds.InferenceSample, work.Count()));
        }
    }

    /// <summary>Answers what waits and every batch handed to a worker (also one queued behind a crashing batch) with <paramref name="reason"/>.</summary>
    private void FailEverything(string reason)
    {
        FailAll(_queue, reason);
        _queue.Clear();
        _queuedByShareKey.Clear();
        FailAll(_inFlight.Values.SelectMany(b => b.Requests), reason);
        _inFlight.Clear();
    }

    private void FailAll(IEnumerable<Waiting> requests, string reason)
    {
        foreach (var (caller, correlationId) in requests.SelectMany(r => r.Callers))
        {
            _failed++;
            caller.Tell(new InferenceFailed(_model.Name, reason, correlationId));
        }
    }

    private sealed record Waiting(float[] Input, string? ShareKey, string? Owner, string? PipelineId, List<(IActorRef Caller, long CorrelationId)> Callers);

    private sealed record FlushBatch
    {
        public static FlushBatch Instance { get; } = new();
    }
}
