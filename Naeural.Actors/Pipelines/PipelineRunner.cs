using System.Collections.Immutable;
using Akka.Actor;
using Akka.Cluster.Sharding;
using Akka.Cluster.Tools.PublishSubscribe;
using Naeural.Actors.Capture;
using Naeural.Actors.Payloads;
using Naeural.Actors.Plugins;

namespace Naeural.Actors.Pipelines;

/// <summary>
/// Runs a pipeline's current spec on this node, as its entity's child: the data-capture child, the plugin-instance
/// entities (configured through their shard region, co-located with the pipeline, then fed frames directly), and
/// credit-based back-pressure: the capture may run at most <c>CaptureWindow</c> frames ahead of the slowest ready
/// instance, which acknowledges what it consumed. Applies a new spec as a difference: only changed
/// instances are reconfigured, and the capture restarts only if the source changed. Reports readiness to the entity.
/// </summary>
public sealed class PipelineRunner : ReceiveActor, IWithTimers
{
    private readonly string _pipelineId;
    private readonly PipelineServices _services;
    private readonly IActorRef _instanceRegion;
    private readonly IActorRef _mediator;
    private IActorRef _outbox;
    private readonly Dictionary<string, RunningInstance> _instances = [];
    private readonly Dictionary<string, long> _consumed = [];
    private long _forwarded;
    private long _granted;
    private PipelineSpec? _spec;
    private string _owner = "";
    private string? _sourceKey;
    private IActorRef _capture = ActorRefs.Nobody;
    private int _captureGeneration;
    private Pending? _pending;

    public PipelineRunner(string pipelineId, PipelineServices services, IActorRef outbox)
    {
        _pipelineId = pipelineId;
        _services = services;
        _outbox = outbox;
        _instanceRegion = ClusterSharding.Get(Context.System).ShardRegion(PluginInstanceEntity.TypeName);
        _mediator = DistributedPubSub.Get(Context.System).Mediator;

        Receive<RunSpec>(Run);
        Receive<StopRunning>(_ => StopAll());
        Receive<InstanceReady>(OnInstanceReady);
        Receive<DeployTimedOut>(t => OnTimeout(t.Version));
        Receive<FramesCaptured>(OnFrames);
        Receive<FramesConsumed>(OnConsumed);
        Receive<CaptureStateChanged>(c => Notify(
            c.State == CaptureState.Closed ? NotificationSeverity.Warning : NotificationSeverity.Info, NotificationCodes.CaptureState, c.Message));
        Receive<ForwardToCapture>(c => _capture.Tell(new CaptureCommand(c.CommandJson)));
        Receive<ForwardToInstance>(c =>
        {
            if (_instances.GetValueOrDefault(PluginInstanceEntity.EntityIdFor(_pipelineId, c.Signature, c.InstanceId))?.Ref is { } target)
            {
                target.Tell(new InstanceCommand(c.CommandJson));
            }
        });
        Receive<PublishNotification>(n => Notify(n.Severity, n.Code, n.Message));
        Receive<Terminated>(OnTerminated);
        Receive<OutboxReplaced>(replaced =>
        {
            // Instances hold the outbox's ref: give them the new one (same config, so they only take the ref).
            _outbox = replaced.Outbox;
            foreach (var entityId in _instances.Keys)
            {
                Configure(entityId, _instances[entityId].Version);
            }
        });
        Receive<RestartCapture>(_ => EnsureCapture());
        Receive<ConfigureMissing>(_ =>
        {
            foreach (var (entityId, _) in _instances.Where(i => i.Value.Ref is null).ToList())
            {
                Configure(entityId, _instances[entityId].Version);
            }
        });
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(string pipelineId, PipelineServices services, IActorRef outbox) =>
        Akka.Actor.Props.Create(() => new PipelineRunner(pipelineId, services, outbox));

    private void Run(RunSpec run)
    {
        _spec = run.Spec;
        _owner = run.Owner;
        var wanted = run.Spec.AllInstances().ToDictionary(
            i => PluginInstanceEntity.EntityIdFor(_pipelineId, i.Plugin.Signature, i.Instance.InstanceId));
        foreach (var removed in _instances.Keys.Where(id => !wanted.ContainsKey(id)).ToList())
        {
            StopInstanceEntity(removed);
        }

        var awaiting = new HashSet<string>();
        foreach (var (entityId, (plugin, instance)) in wanted)
        {
            if (_instances.TryGetValue(entityId, out var running) && running.ConfigJson == instance.ConfigJson && running.Ref is not null)
            {
                continue;
            }

            _instances[entityId] = new RunningInstance(plugin.Signature, instance.InstanceId, instance.ConfigJson, running?.Ref, run.Version);
            awaiting.Add(entityId);
            Configure(entityId, run.Version);
        }

        if (_pending is { } superseded)
        {
            // A newer spec arrived before the older one was ready: the older command is answered now, not left hanging.
            Context.Parent.Tell(new RunnerReady(superseded.Version, _instances.Count, [.. superseded.Errors], TimedOut: false, Superseded: true));
        }

        _pending = new Pending(run.Version, awaiting, []);
        Timers.StartSingleTimer(DeployTimedOut.Key, new DeployTimedOut(run.Version), _services.Settings.DeployTimeout);
        CompleteIfReady();
    }

    /// <summary>
    /// Sends the instance its config, and again every <see cref="ConfigureRetry"/> while it has not answered: a config sent to
    /// a region that was just lost (a failover) is not lost for good.
    /// </summary>
    private void Configure(string entityId, long version)
    {
        var instance = _instances[entityId];
        _instanceRegion.Tell(new ConfigureInstance(entityId, _pipelineId, _owner, _spec!.Name, instance.Signature, instance.InstanceId,
            instance.ConfigJson, version, _outbox));
        if (!Timers.IsTimerActive(ConfigureMissing.Instance))
        {
            Timers.StartSingleTimer(ConfigureMissing.Instance, ConfigureMissing.Instance, ConfigureRetry);
        }
    }

    private void OnInstanceReady(InstanceReady ready)
    {
        if (!_instances.TryGetValue(ready.EntityId, out var instance) || ready.Version < instance.Version)
        {
            return; // gone, or an answer to an older config than the one it now has
        }

        if (instance.Ref is null || !instance.Ref.Equals(ready.Instance))
        {
            Context.Watch(ready.Instance);
            _instances[ready.EntityId] = instance with { Ref = ready.Instance };
            _consumed[ready.EntityId] = _forwarded; // it owes nothing for frames sent before it was there
        }

        if (_pending is { } pending && pending.Awaiting.Remove(ready.EntityId) && ready.InitError is not null)
        {
            pending.Errors.Add($"{instance.Signature}/{instance.InstanceId}: {ready.InitError}");
        }

        CompleteIfReady();
        if (_pending is null && _spec is not null && _instances.Values.All(i => i.Ref is not null))
        {
            // Ready after the deploy timeout (a woken pipeline whose instances' shard was still moving; nobody waited for
            // that answer): the pipeline still runs, so its capture starts now (no-op when it runs already).
            EnsureCapture();
        }
    }

    private void CompleteIfReady()
    {
        if (_pending is not { Awaiting.Count: 0 } pending)
        {
            return;
        }

        _pending = null;
        Timers.Cancel(DeployTimedOut.Key);
        if (pending.Errors.Count == 0)
        {
            EnsureCapture();
            Notify(NotificationSeverity.Info, NotificationCodes.PipelineOk, $"pipeline {_spec!.Name} version {pending.Version} running");
        }

        Context.Parent.Tell(new RunnerReady(pending.Version, _instances.Count, [.. pending.Errors], TimedOut: false, Superseded: false));
    }

    private void OnTimeout(long version)
    {
        if (_pending is not { } pending || pending.Version != version)
        {
            return;
        }

        _pending = null;
        var missing = string.Join(", ", pending.Awaiting.Select(id => $"{_instances[id].Signature}/{_instances[id].InstanceId}"));
        Context.Parent.Tell(new RunnerReady(version, _instances.Count,
            [$"instances not ready after {_services.Settings.DeployTimeout.TotalSeconds:0} s: {missing}", .. pending.Errors], TimedOut: true, Superseded: false));
    }

    private void EnsureCapture()
    {
        var sourceKey = _spec!.Type + _spec.SourceConfig().ToJsonString();
        if (sourceKey == _sourceKey && !_capture.IsNobody())
        {
            return;
        }

        StopCapture();
        _sourceKey = sourceKey;
        var source = _services.Sources.Find(_spec.Type)!;
        _capture = Context.ActorOf(source.Props(JsonConfig.From(_spec.SourceConfig()), Self, _services.Sources.Access), $"capture-{++_captureGeneration}");
        Context.Watch(_capture);
        _granted = _forwarded; // a new capture starts without credit
        Grant();
    }

    /// <summary>Lets the capture run up to the window ahead of the slowest instance (granted in chunks, not per frame).</summary>
    private void Grant()
    {
        if (_capture.IsNobody())
        {
            return;
        }

        var window = _services.Settings.CaptureWindow;
        var slowest = _consumed.Count == 0 ? _forwarded : _consumed.Values.Min();
        var allowed = slowest + window;
        if (allowed - _granted >= Math.Max(1, window / 4))
        {
            _capture.Tell(new CaptureDemand(allowed - _granted));
            _granted = allowed;
        }
    }

    private void OnConsumed(FramesConsumed consumed)
    {
        if (_consumed.TryGetValue(consumed.EntityId, out var total))
        {
            _consumed[consumed.EntityId] = total + consumed.Frames;
            Grant();
        }
    }

    private void OnFrames(FramesCaptured captured)
    {
        if (!Sender.Equals(_capture))
        {
            return;
        }

        var frames = new ProcessFrames(captured.Frames);
        _forwarded += captured.Frames.Length;
        foreach (var instance in _instances.Values)
        {
            instance.Ref?.Tell(frames);
        }
    }

    /// <summary>A capture that throws is stopped, not restarted: it is recreated (after a second) with fresh credit.</summary>
    protected override SupervisorStrategy SupervisorStrategy() => new OneForOneStrategy(_ => Directive.Stop);

    private void OnTerminated(Terminated terminated)
    {
        if (terminated.ActorRef.Equals(_capture))
        {
            _capture = ActorRefs.Nobody;
            _sourceKey = null;
            Notify(NotificationSeverity.Error, NotificationCodes.CaptureState, "data source crashed; restarting it in 1 s");
            Timers.StartSingleTimer(RestartCapture.Instance, RestartCapture.Instance, TimeSpan.FromSeconds(1));
            return;
        }

        foreach (var (entityId, instance) in _instances.Where(i => terminated.ActorRef.Equals(i.Value.Ref)).ToList())
        {
            // The instance stopped under us (rebalanced, restarted): configure it again, at the version it has (an answer to an
            // older one is ignored); its shard lands beside us.
            _instances[entityId] = instance with { Ref = null };
            _consumed.Remove(entityId);
            Configure(entityId, instance.Version);
            Grant();
        }
    }

    private void StopAll()
    {
        if (_pending is { } interrupted)
        {
            Context.Parent.Tell(new RunnerReady(interrupted.Version, _instances.Count, [.. interrupted.Errors], TimedOut: false, Superseded: true));
        }

        StopCapture();
        foreach (var entityId in _instances.Keys.ToList())
        {
            StopInstanceEntity(entityId);
        }

        _pending = null;
        _spec = null;
        Timers.Cancel(DeployTimedOut.Key);
        Timers.Cancel(ConfigureMissing.Instance);
        Notify(NotificationSeverity.Info, NotificationCodes.PipelineStopped, "pipeline stopped");
    }

    private void StopInstanceEntity(string entityId)
    {
        if (_instances.Remove(entityId, out var instance) && instance.Ref is not null)
        {
            Context.Unwatch(instance.Ref);
        }

        _consumed.Remove(entityId);
        _instanceRegion.Tell(new StopInstance(entityId, _pipelineId));
        Grant();
    }

    private void StopCapture()
    {
        if (!_capture.IsNobody())
        {
            Context.Unwatch(_capture);
            Context.Stop(_capture);
            _capture = ActorRefs.Nobody;
        }

        _sourceKey = null;
    }

    private void Notify(NotificationSeverity severity, string code, string message) =>
        _mediator.Tell(new Publish(PayloadTopics.For(_pipelineId),
            new PipelineNotification(_pipelineId, "pipeline", severity, code, message, _services.Time.GetUtcNow())));

    private sealed record RunningInstance(string Signature, string InstanceId, string ConfigJson, IActorRef? Ref, long Version);

    private sealed record RestartCapture
    {
        public static RestartCapture Instance { get; } = new();
    }

    private static readonly TimeSpan ConfigureRetry = TimeSpan.FromSeconds(3);

    private sealed record ConfigureMissing
    {
        public static ConfigureMissing Instance { get; } = new();
    }

    private sealed record Pending(long Version, HashSet<string> Awaiting, List<string> Errors);

    private sealed record DeployTimedOut(long Version)
    {
        public const string Key = "deploy-timeout";
    }
}
