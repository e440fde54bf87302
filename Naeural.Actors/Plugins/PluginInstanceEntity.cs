using System.Collections.Immutable;
using System.Text.Json.Nodes;
using Akka.Actor;
using Naeural.Actors.Telemetry;
using Akka.Cluster.Sharding;
using Akka.Cluster.Tools.PublishSubscribe;
using Akka.Event;
using Akka.Persistence;
using Naeural.Actors.Capture;
using Naeural.Actors.Inference;
using Naeural.Actors.Metering;
using Naeural.Actors.Payloads;
using Naeural.Actors.Pipelines;
using Naeural.Actors.Sharding;
using Naeural.Actors.Hosting;

namespace Naeural.Actors.Plugins;

/// <summary>
/// One plugin instance of one pipeline (entity id <c>{pipeline}#{SIGNATURE}#{INSTANCE_ID}</c>), sharded in its pipeline's
/// shard so it runs beside it, persistent for its config. Runs its plugin: frames wait in a bounded queue (oldest dropped
/// beyond <c>MAX_INPUTS_QUEUE_SIZE</c>, every drop counted and reported; what it consumes is acknowledged to the runner,
/// whose credit window paces the capture), are
/// processed as they come or every <c>PROCESS_DELAY</c> seconds, and a plugin that throws is backed off exponentially
/// (1 s to 60 s) with a notification, never crashing the pipeline. Payloads go to the pipeline's outbox. Every frame the
/// plugin processed is reported to the node's <see cref="WorkMeter"/> (frames of a call that threw are not), and its
/// inference requests carry the pipeline and owner so the model server's work is billed to them too.
/// </summary>
public sealed class PluginInstanceEntity : ReceivePersistentActor, IWithTimers
{
    public const string TypeName = "plugin-instance";

    private static readonly TimeSpan DropReportInterval = TimeSpan.FromSeconds(5);

    /// <summary>NaN and infinities (0/0 in a plugin, a gap in a sensor) travel as "NaN"/"Infinity" instead of failing.</summary>
    private static readonly System.Text.Json.JsonSerializerOptions PayloadJson = new()
    {
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan InferenceTimeout = TimeSpan.FromSeconds(30);
    private const int MaxPendingInferences = 256;

    private readonly string _entityId;
    private readonly PipelineServices _services;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly IActorRef _mediator;
    private readonly Queue<Frame> _queue = new();
    private readonly Dictionary<long, (string Tag, DateTimeOffset Sent)> _pendingInferences = [];
    private long _lastCorrelation;
    private InstanceConfigured? _config;
    private InstanceSettings _settings = new(TimeSpan.Zero, false, 1000);
    private IBusinessPlugin? _plugin;
    private PluginContext? _context;
    private IActorRef _runner = ActorRefs.Nobody;
    private IActorRef _outbox = ActorRefs.Nobody;
    private bool _processScheduled;
    private bool _stepping;
    private int _generation;
    private long _consumedUnreported;
    private int _consecutiveErrors;
    private DateTimeOffset _backoffUntil = DateTimeOffset.MinValue;
    private readonly NodeMetrics _metrics = NodeMetrics.For(Context.System);
    private long _dropped;
    private long _droppedReported;
    private long _processed;

    public PluginInstanceEntity(string entityId, PipelineServices services)
    {
        _entityId = entityId;
        _services = services;
        PersistenceId = $"instance-{entityId}";
        _mediator = DistributedPubSub.Get(Context.System).Mediator;

        Recover<IInstanceEvent>(Apply);

        Command<ConfigureInstance>(c => WhenNotStepping(() => Configure(c)));
        Command<StopInstance>(_ => WhenNotStepping(Stop));
        Command<StepFinished>(OnStepFinished);
        Command<ProcessFrames>(OnFrames);
        Command<ProcessNow>(_ =>
        {
            _processScheduled = false;
            ProcessQueue(onSchedule: false);
        });
        Command<ScheduledTick>(_ => ProcessQueue(onSchedule: true));
        Command<InstanceCommand>(c => WhenNotStepping(() => OnCommand(c)));
        Command<ReportDrops>(_ => ReportDroppedInputs());
        Command<StopEntity>(_ => Context.Stop(Self));
        Command<InferenceResult>(r => WhenNotStepping(() => OnInference(r.CorrelationId, (plugin, tag, context) => plugin.OnInferenceResult(tag, r.Output, context))));
        Command<InferenceFailed>(f => WhenNotStepping(() => OnInference(f.CorrelationId, (plugin, tag, context) => plugin.OnInferenceFailed(tag, f.Reason, context))));
        Command<CheckInferences>(_ => WhenNotStepping(ExpireInferences));
    }

    public override string PersistenceId { get; }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(string entityId, PipelineServices services) =>
        Akka.Actor.Props.Create(() => new PluginInstanceEntity(entityId, services));

    public static string EntityIdFor(string pipelineId, string signature, string instanceId) =>
        $"{pipelineId}#{signature.ToUpperInvariant()}#{instanceId}";

    /// <summary>While a step runs off this thread, what would touch the plugin waits (stashed) until it finishes.</summary>
    private void WhenNotStepping(Action handle)
    {
        if (_stepping)
        {
            Stash.Stash();
        }
        else
        {
            handle();
        }
    }

    protected override void PostStop()
    {
        ClosePlugin();
        base.PostStop();
    }

    private void Configure(ConfigureInstance command)
    {
        _runner = Sender;
        _outbox = command.Outbox;
        var configured = new InstanceConfigured(command.PipelineId, command.Owner, command.PipelineName, command.Signature,
            command.InstanceId, command.ConfigJson, command.Version);
        if (_config is not null && _plugin is not null && SameConfig(_config, configured))
        {
            Sender.Tell(new InstanceReady(_entityId, command.Version, Self, null));
            return;
        }

        var replyTo = Sender;
        Persist(configured, e =>
        {
            var previous = _config;
            Apply(e);
            replyTo.Tell(new InstanceReady(_entityId, e.Version, Self, StartOrReconfigure(previous)));
        });
    }

    /// <summary>The one place the instance's journal changes its state, recovering or persisting.</summary>
    private void Apply(IInstanceEvent e) => _config = e switch
    {
        InstanceConfigured configured => configured,
        InstanceStopped => null,
        _ => throw new InvalidOperationException($"no rule applies {e.GetType().Name} to a plugin instance"),
    };

    /// <summary>Creates the plugin (first config, or a new signature) or tells it its config changed; the init error, if any.</summary>
    private string? StartOrReconfigure(InstanceConfigured? previous)
    {
        var config = (JsonObject)JsonNode.Parse(_config!.ConfigJson)!;
        _settings = InstanceSettings.Read(new Pipelines.ConfigReader(config));
        ScheduleTicks();
        try
        {
            if (_plugin is null || previous is null || previous.Signature != _config.Signature)
            {
                ClosePlugin();
                var descriptor = _services.Plugins.Find(_config.Signature)
                                 ?? throw new InvalidOperationException($"plugin {_config.Signature} is not in this node's catalogue");
                _context = new PluginContext(_config.PipelineName, _config.Signature, _config.InstanceId, config, _services.Time) { Owner = _config.Owner, Models = _services.Models };
                _plugin = descriptor.Create();
                _plugin.Init(_context);
            }
            else
            {
                _context!.Config = new Pipelines.ConfigReader(config, _config.InstanceId);
                _plugin.OnConfigChanged(_context);
            }

            Flush();
            return null;
        }
        catch (Exception e)
        {
            _log.Warning(e, "Plugin {Plugin} of {PipelineId} failed to initialise", _config.Signature, _config.PipelineId);
            ClosePlugin();
            DropQueued();
            Notify(NotificationSeverity.Error, NotificationCodes.PluginError, $"initialisation failed: {e.Message}");
            return e.Message;
        }
    }

    private void ScheduleTicks()
    {
        Timers.Cancel(ScheduledTick.Instance);
        var interval = _settings.ProcessDelay > TimeSpan.Zero
            ? _settings.ProcessDelay
            : _settings.AllowEmptyInputs ? InstanceSettings.DefaultEmptyInputsInterval : TimeSpan.Zero;
        if (interval > TimeSpan.Zero)
        {
            Timers.StartPeriodicTimer(ScheduledTick.Instance, ScheduledTick.Instance, interval);
        }
    }

    private void OnFrames(ProcessFrames frames)
    {
        if (_plugin is null)
        {
            // Nothing can process them (the plugin failed to start): drop, count, and let the capture go on for the others.
            Drop(frames.Frames.Length);
            _consumedUnreported += frames.Frames.Length;
            ReportConsumed();
        }
        else
        {
            foreach (var frame in frames.Frames)
            {
                _queue.Enqueue(frame);
            }
        }

        while (_queue.Count > _settings.MaxQueue)
        {
            _queue.Dequeue();
            Drop(1);
            _consumedUnreported++;
        }

        if (_dropped > _droppedReported && !Timers.IsTimerActive(ReportDrops.Instance))
        {
            Timers.StartSingleTimer(ReportDrops.Instance, ReportDrops.Instance, DropReportInterval);
        }

        if (_settings.ProcessDelay == TimeSpan.Zero && !_processScheduled)
        {
            _processScheduled = true;
            Self.Tell(ProcessNow.Instance);
        }
    }

    private void ProcessQueue(bool onSchedule)
    {
        if (_stepping || _plugin is null || _context is null || _services.Time.GetUtcNow() < _backoffUntil)
        {
            return; // a running step starts the next one when it finishes
        }

        if (_queue.Count == 0 && !(onSchedule && _settings.AllowEmptyInputs))
        {
            return;
        }

        if (_pendingInferences.Count >= MaxPendingInferences)
        {
            return; // the model is the bottleneck: frames wait (and the capture's credit runs out) until answers come back
        }

        var frames = _queue.ToArray();
        _queue.Clear();
        _consumedUnreported += frames.Length;
        if (_plugin is IAsyncProcessPlugin offThread)
        {
            StartStep(offThread, frames);
            return;
        }

        try
        {
            _plugin.Process(frames, _context);
            Processed(frames.Length);
        }
        catch (Exception e)
        {
            Failed(e);
        }

        Flush();
        ReportConsumed();
    }

    /// <summary>
    /// Starts a step that runs off this actor's thread; its completion comes back as <see cref="StepFinished"/>. Meanwhile
    /// frames queue as usual (bounded, acknowledged when the step is done) and what would touch the plugin is stashed.
    /// </summary>
    private void StartStep(IAsyncProcessPlugin plugin, Frame[] frames)
    {
        Task<Action<PluginContext>> step;
        try
        {
            step = plugin.ProcessAsync(frames, _context!);
        }
        catch (Exception e)
        {
            Failed(e);
            Flush();
            ReportConsumed();
            return;
        }

        _stepping = true;
        var generation = _generation;
        step.PipeTo(Self,
            success: finish => new StepFinished(generation, frames.Length, finish, null),
            failure: e => new StepFinished(generation, frames.Length, null, e));
    }

    private void OnStepFinished(StepFinished finished)
    {
        _stepping = false;
        if (finished.Generation == _generation && _plugin is not null && _context is not null)
        {
            try
            {
                var finish = finished.Finish ?? throw finished.Failure!;
                finish(_context);
                Processed(finished.Frames);
            }
            catch (Exception e)
            {
                Failed(e);
            }

            Flush();
        }

        ReportConsumed();
        Stash.UnstashAll();
        if (_queue.Count > 0 && _settings.ProcessDelay == TimeSpan.Zero && !_processScheduled)
        {
            _processScheduled = true;
            Self.Tell(ProcessNow.Instance);
        }
    }

    private void Processed(int frames)
    {
        _processed += frames;
        _consecutiveErrors = 0;
        if (frames > 0)
        {
            _metrics.FramesProcessed(_config!.Signature, frames);
            NodeActors.Find<WorkMeter>(Context.System).Tell(new WorkDone(_config!.Owner, _config.PipelineId, $"{_config.Signature}/{_config.InstanceId}", WorkKinds.PluginFrame, frames));
        }
    }

    /// <summary>The plugin threw: report it and back off exponentially before the next call.</summary>
    private void Failed(Exception e)
    {
        var backoff = TimeSpan.FromSeconds(Math.Min(MaxBackoff.TotalSeconds, Math.Pow(2, _consecutiveErrors++)));
        _backoffUntil = _services.Time.GetUtcNow() + backoff;
        Timers.StartSingleTimer(ProcessNow.Instance, ProcessNow.Instance, backoff);
        _processScheduled = true;
        Notify(NotificationSeverity.Error, e is PluginFaultException fault ? fault.Code : NotificationCodes.PluginError,
            $"process failed ({_consecutiveErrors} in a row), backing off {backoff.TotalSeconds:0} s: {e.Message}");
    }

    private void OnInference(long correlationId, Action<IBusinessPlugin, string, PluginContext> deliver)
    {
        if (!_pendingInferences.Remove(correlationId, out var pending) || _plugin is null || _context is null)
        {
            return;
        }

        try
        {
            deliver(_plugin, pending.Tag, _context);
        }
        catch (Exception e)
        {
            Notify(NotificationSeverity.Error, NotificationCodes.PluginError, $"inference result handling failed: {e.Message}");
        }

        Flush();
        if (_pendingInferences.Count == MaxPendingInferences - 1 && _queue.Count > 0 && !_processScheduled)
        {
            _processScheduled = true;
            Self.Tell(ProcessNow.Instance);
        }

        if (_pendingInferences.Count == 0)
        {
            Timers.Cancel(CheckInferences.Instance);
        }
    }

    /// <summary>Answers that never came (no inference service, a node under water) fail after a while instead of blocking.</summary>
    private void ExpireInferences()
    {
        var cutoff = _services.Time.GetUtcNow() - InferenceTimeout;
        foreach (var (id, pending) in _pendingInferences.Where(p => p.Value.Sent < cutoff).ToList())
        {
            OnInference(id, (plugin, tag, context) => plugin.OnInferenceFailed(tag, $"no answer within {InferenceTimeout.TotalSeconds:0} s", context));
        }
    }

    private void OnCommand(InstanceCommand command)
    {
        if (_plugin is null || _context is null)
        {
            return;
        }

        try
        {
            _plugin.OnCommand(JsonNode.Parse(command.CommandJson), _context);
        }
        catch (Exception e)
        {
            Notify(NotificationSeverity.Error, NotificationCodes.PluginError, $"command failed: {e.Message}");
        }

        Flush();
    }

    private void Flush()
    {
        var (payloads, notifications, inferences) = _context!.TakeOutputs();
        foreach (var inference in inferences)
        {
            var id = ++_lastCorrelation;
            _pendingInferences[id] = (inference.Tag, _services.Time.GetUtcNow());
            NodeActors.Find(typeof(InferenceEndpoint), Context.System).Tell(new Infer(inference.Model, inference.Input, inference.ShareKey, id, _config!.Owner, _config.PipelineId));
        }

        if (_pendingInferences.Count > 0 && !Timers.IsTimerActive(CheckInferences.Instance))
        {
            Timers.StartPeriodicTimer(CheckInferences.Instance, CheckInferences.Instance, InferenceTimeout / 4);
        }

        if (payloads.Count > 0)
        {
            var at = _services.Time.GetUtcNow();
            var pending = new List<PendingPayload>(payloads.Count);
            foreach (var payload in payloads)
            {
                try
                {
                    pending.Add(new PendingPayload(_config!.Signature, _config.InstanceId, payload.ToJsonString(PayloadJson), at));
                }
                catch (Exception e) when (e is ArgumentException or InvalidOperationException)
                {
                    Notify(NotificationSeverity.Error, NotificationCodes.PluginError, $"payload not emitted: {e.Message}");
                }
            }

            _outbox.Tell(new EmitPayloads(_config!.PipelineId, _config.Owner, [.. pending]));
        }

        foreach (var (code, message) in notifications)
        {
            Notify(NotificationSeverity.Info, code, message);
        }
    }

    private void Drop(long frames)
    {
        _dropped += frames;
        _metrics.Dropped(DropQueues.PluginInputs, frames);
    }

    /// <summary>Frames nothing can process any more: dropped, counted, and acknowledged so the capture goes on for the others.</summary>
    private void DropQueued()
    {
        Drop(_queue.Count);
        _consumedUnreported += _queue.Count;
        _queue.Clear();
        ReportConsumed();
    }

    private void ReportConsumed()
    {
        if (_consumedUnreported > 0)
        {
            _runner.Tell(new FramesConsumed(_entityId, _consumedUnreported));
            _consumedUnreported = 0;
        }
    }

    private void ReportDroppedInputs()
    {
        if (_dropped <= _droppedReported)
        {
            return;
        }

        Notify(NotificationSeverity.Warning, NotificationCodes.InputsDropped,
            $"{_dropped - _droppedReported} frame(s) dropped (queue full at MAX_INPUTS_QUEUE_SIZE={_settings.MaxQueue}); {_dropped} in total, {_processed} processed");
        _droppedReported = _dropped;
    }

    private void Stop()
    {
        // Passivate rather than stop: the shard buffers what arrives meanwhile and hands it to the next incarnation.
        ClosePlugin();
        Timers.CancelAll();
        if (_config is null)
        {
            Context.Parent.Tell(new Passivate(StopEntity.Instance));
            return;
        }

        Persist(new InstanceStopped(_config.Version), e =>
        {
            Apply(e);
            Context.Parent.Tell(new Passivate(StopEntity.Instance));
        });
    }

    private void ClosePlugin()
    {
        _generation++; // a step still running belongs to this plugin object, not to the next one
        _pendingInferences.Clear(); // late answers belong to this plugin object, not to the next one
        if (_plugin is null || _context is null)
        {
            return;
        }

        try
        {
            _plugin.Close(_context);
        }
        catch (Exception e)
        {
            _log.Warning(e, "Plugin {Plugin} failed to close", _context.Signature);
        }

        _plugin = null;
    }

    private void Notify(NotificationSeverity severity, string code, string message)
    {
        if (_config is null)
        {
            return;
        }

        _mediator.Tell(new Publish(PayloadTopics.For(_config.PipelineId), new PipelineNotification(_config.PipelineId,
            $"{_config.Signature}/{_config.InstanceId}", severity, code, message, _services.Time.GetUtcNow())));
    }

    private static bool SameConfig(InstanceConfigured a, InstanceConfigured b) =>
        a.Signature == b.Signature && a.ConfigJson == b.ConfigJson && a.Owner == b.Owner && a.PipelineName == b.PipelineName;

    private sealed record ProcessNow
    {
        public static ProcessNow Instance { get; } = new();
    }

    /// <summary>A step that ran off this actor's thread is done: <see cref="Finish"/> completes it here (or <see cref="Failure"/>). Local only.</summary>
    private sealed record StepFinished(int Generation, int Frames, Action<PluginContext>? Finish, Exception? Failure);

    private sealed record ScheduledTick
    {
        public static ScheduledTick Instance { get; } = new();
    }

    private sealed record CheckInferences
    {
        public static CheckInferences Instance { get; } = new();
    }

    private sealed record ReportDrops
    {
        public static ReportDrops Instance { get; } = new();
    }
}
