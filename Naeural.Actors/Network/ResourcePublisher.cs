using System.Collections.Immutable;
using Akka.Actor;
using Akka.Cluster;
using Akka.DistributedData;
using Akka.Event;
using Naeural.Actors.Nodes;
using Naeural.Actors.Pipelines;
using Naeural.Actors.Security;
using Naeural.Actors.Telemetry;

namespace Naeural.Actors.Network;

/// <summary>
/// Publishes this node's heartbeat (<see cref="NodeResources"/>) into the replicated network map on a timer and whenever
/// the local workload changes, and records the node's offer in its sharded <see cref="NodeEntity"/> until acknowledged.
/// The heartbeat carries the node's running count of emitted payloads (<see cref="NodeMetrics.PayloadsTotal"/>), so any member can
/// sum the network's throughput. Each heartbeat is signed with the node's key (<see cref="HeartbeatSigning"/>): readers ignore
/// any entry that isn't. It also answers <see cref="ProveAddress"/>: a reader's nonce, signed with this node's cluster address,
/// which binds the address to this node's id in that reader's view.
/// </summary>
public sealed class ResourcePublisher : ReceiveActor, IWithTimers
{
    /// <summary>The actor's name under /user.</summary>
    public const string Name = "resource-publisher";

    private readonly string _nodeId;
    private readonly IMessageSigner _signer;
    private readonly NodeOffer _offer;
    private readonly IResourceProbe _probe;
    private readonly IActorRef _nodeRegion;
    private readonly GossipSettings _settings;
    private readonly NodeMetrics _metrics = NodeMetrics.For(Context.System);
    private readonly Cluster _cluster = Cluster.Get(Context.System);
    private readonly IActorRef _replicator = DistributedData.Get(Context.System).Replicator;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private ImmutableDictionary<WorkloadKind, ImmutableArray<string>> _workload = ImmutableDictionary<WorkloadKind, ImmutableArray<string>>.Empty;
    private NodeResources? _published;
    private long _sequence;
    private bool _offerRecorded;
    private DateTimeOffset? _since;

    public ResourcePublisher(IMessageSigner signer, NodeOffer offer, IResourceProbe probe, IActorRef nodeRegion, GossipSettings settings)
    {
        _signer = signer;
        _nodeId = signer.Address;
        _offer = offer;
        _probe = probe;
        _nodeRegion = nodeRegion;
        _settings = settings;

        Receive<Heartbeat>(_ => Publish());
        Receive<LocalWorkloadChanged>(changed =>
        {
            _workload = _workload.SetItem(changed.Kind, changed.Items);
            Publish();
        });
        Receive<PipelineSummaryChanged>(changed =>
        {
            var running = changed.Summary.Status == PipelineStatus.Running;
            SetLocalPipeline(changed.Summary.PipelineId, running);
        });
        Receive<PipelineEntityStopped>(stopped => SetLocalPipeline(stopped.PipelineId, false));
        Receive<NodeOfferRecordedAck>(ack =>
        {
            _offerRecorded = true;
            if (ack.Since != _since)
            {
                _since = ack.Since;
                Publish();
            }
        });
        Receive<GetPublishedResources>(_ => Sender.Tell(new PublishedResources(_published)));
        Receive<ProveAddress>(prove => HeartbeatSigning.IsNonce(prove.Nonce), prove =>
        {
            var address = _cluster.SelfAddress.ToString();
            var signature = _signer.Sign(HeartbeatSigning.ProofBytes(prove.Nonce, _nodeId, address, _settings.NetworkId)).Signature;
            Sender.Tell(new AddressProof(prove.Nonce, _nodeId, address, signature));
        });
        Receive<UpdateSuccess>(_ => { });
        Receive<IUpdateFailure>(failure => _log.Warning("Heartbeat not written: {Failure}", failure));
        Receive<Status.Failure>(failure => _log.Warning(failure.Cause, "Recording the node offer failed; retrying"));
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(IMessageSigner signer, NodeOffer offer, IResourceProbe probe, IActorRef nodeRegion, GossipSettings settings) =>
        Akka.Actor.Props.Create(() => new ResourcePublisher(signer, offer, probe, nodeRegion, settings));

    protected override void PreStart()
    {
        // The pipelines running here: their entities announce themselves on this node's event stream.
        Context.System.EventStream.Subscribe(Self, typeof(PipelineSummaryChanged));
        Context.System.EventStream.Subscribe(Self, typeof(PipelineEntityStopped));
        Timers.StartPeriodicTimer("heartbeat", Heartbeat.Instance, TimeSpan.Zero, _settings.HeartbeatInterval);
    }

    private void SetLocalPipeline(string pipelineId, bool running)
    {
        var current = _workload.GetValueOrDefault(WorkloadKind.Pipelines, []);
        var updated = running
            ? (current.Contains(pipelineId) ? current : current.Add(pipelineId).Sort(StringComparer.Ordinal))
            : current.Remove(pipelineId);
        if (updated != current)
        {
            _workload = _workload.SetItem(WorkloadKind.Pipelines, updated);
            Publish();
        }
    }

    private void Publish()
    {
        if (!_offerRecorded)
        {
            _nodeRegion.Tell(new RecordNodeOffer(_nodeId, _cluster.SelfAddress.ToString(), _offer));
        }

        var sample = _probe.Sample();
        var resources = new NodeResources(
            _nodeId,
            _cluster.SelfAddress.ToString(),
            _offer.Alias,
            sample.Cores,
            sample.TotalMemoryMb,
            sample.FreeMemoryMb,
            sample.CpuLoad,
            sample.Gpu,
            _workload.GetValueOrDefault(WorkloadKind.Models, []),
            _workload.GetValueOrDefault(WorkloadKind.Pipelines, []),
            _offer.Tags,
            _offer.AllowedOwners,
            _offer.PricePerUnit,
            ++_sequence,
            DateTimeOffset.UtcNow,
            _offer.Models,
            _metrics.PayloadsTotal,
            _offer.Secured)
        {
            Since = _since,
        };
        _published = resources;
        var signed = HeartbeatSigning.Sign(resources, _signer, _settings.NetworkId);
        _replicator.Tell(Dsl.Update(
            NetworkKeys.Resources,
            LWWDictionary<string, SignedHeartbeat>.Empty,
            WriteLocal.Instance,
            map => map.SetItem(_cluster, _nodeId, signed)));
    }

    private sealed record Heartbeat
    {
        public static Heartbeat Instance { get; } = new();
    }
}

/// <summary>Answers <see cref="GetPublishedResources"/>.</summary>
public sealed record PublishedResources(NodeResources? Resources);
