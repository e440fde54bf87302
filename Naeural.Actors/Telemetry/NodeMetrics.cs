using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Akka.Actor;
using Naeural.Actors.Security;

namespace Naeural.Actors.Telemetry;

/// <summary>
/// A node's metrics (System.Diagnostics.Metrics, meter <see cref="MeterName"/>; the Host exports them through OpenTelemetry):
/// commands, serialized messages (what crosses the node boundary or reaches the journal), payloads, frames, inferences and their batch sizes, queue drops, and the
/// availability each node was agreed for the last epoch. One per actor system, an Akka extension: every actor, and the
/// serializer, records into its own system's (<see cref="For"/>), so several nodes in one process keep apart (each meter carries
/// its node's address as a tag). Recording costs next to nothing while nothing listens.
/// </summary>
public sealed class NodeMetrics : IExtension, IDisposable
{
    public const string MeterName = "Naeural";

    private readonly Counter<long> _commands;
    private readonly Counter<long> _rejections;
    private readonly Counter<long> _messages;
    private readonly Counter<long> _messageBytes;
    private readonly Counter<long> _refusals;
    private readonly Counter<long> _payloads;
    private readonly Counter<long> _frames;
    private readonly Counter<long> _drops;
    private readonly Counter<long> _inferences;
    private readonly Histogram<int> _batchSizes;
    private readonly ConcurrentDictionary<string, int> _availability = new(AccountAddress.Comparer);
    private long _payloadsTotal;

    public NodeMetrics(string node)
    {
        Meter = new Meter(MeterName, "1.0", [new KeyValuePair<string, object?>("naeural.node", node)]);
        _commands = Meter.CreateCounter<long>("naeural.commands", "{command}", "Signed commands received, by action");
        _rejections = Meter.CreateCounter<long>("naeural.commands.rejected", "{command}", "Commands refused, by code and where (front door or entity)");
        _messages = Meter.CreateCounter<long>("naeural.messages", "{message}", "Objects the allow-list serializer wrote or read (remote messages, replicated data, journal events), by direction");
        _messageBytes = Meter.CreateCounter<long>("naeural.messages.bytes", "By", "Bytes the allow-list serializer wrote or read, by direction");
        _refusals = Meter.CreateCounter<long>("naeural.messages.refused", "{message}", "Messages the allow-list serializer refused, by direction");
        _payloads = Meter.CreateCounter<long>("naeural.payloads", "{payload}", "Payloads numbered, signed and persisted by this node's outboxes");
        _frames = Meter.CreateCounter<long>("naeural.frames", "{frame}", "Frames processed by plugin instances, by plugin signature");
        _drops = Meter.CreateCounter<long>("naeural.queue.drops", "{item}", "Frames or payloads dropped from a full queue, by queue");
        _inferences = Meter.CreateCounter<long>("naeural.inferences", "{sample}", "Samples answered by model servers, by model");
        _batchSizes = Meter.CreateHistogram<int>("naeural.inference.batch_size", "{sample}", "Samples per batch a model server ran, by model",
            advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = [1, 2, 4, 8, 16, 32, 64, 128] });
        Meter.CreateObservableGauge("naeural.epoch.availability", ObserveAvailability, "1",
            "Availability (0-255) agreed for each node in the last epoch this node closed");
    }

    /// <summary>The meter the instruments belong to (a listener can pick this node's out of several in one process).</summary>
    public Meter Meter { get; }

    /// <summary>Payloads this node has emitted since it started (what its heartbeat tells the network).</summary>
    public long PayloadsTotal => Interlocked.Read(ref _payloadsTotal);

    /// <summary>The metrics of the node whose actor system this is.</summary>
    public static NodeMetrics For(ActorSystem system) => system.WithExtension<NodeMetrics, NodeMetricsProvider>();

    public void CommandReceived(string action) => _commands.Add(1, new KeyValuePair<string, object?>("action", action));

    public void CommandRejected(string code, string where) =>
        _rejections.Add(1, new KeyValuePair<string, object?>("code", code), new KeyValuePair<string, object?>("where", where));

    public void MessageSerialized(string direction, int bytes)
    {
        var tag = new KeyValuePair<string, object?>("direction", direction);
        _messages.Add(1, tag);
        _messageBytes.Add(bytes, tag);
    }

    public void MessageRefused(string direction) => _refusals.Add(1, new KeyValuePair<string, object?>("direction", direction));

    public void PayloadsEmitted(int count)
    {
        Interlocked.Add(ref _payloadsTotal, count);
        _payloads.Add(count);
    }

    public void FramesProcessed(string signature, int count) => _frames.Add(count, new KeyValuePair<string, object?>("plugin", signature));

    public void Dropped(string queue, long count) => _drops.Add(count, new KeyValuePair<string, object?>("queue", queue));

    public void BatchRun(string model, int samples)
    {
        var tag = new KeyValuePair<string, object?>("model", model);
        _inferences.Add(samples, tag);
        _batchSizes.Record(samples, tag);
    }

    /// <summary>The availability agreed for each node in the epoch just closed (replaces the previous epoch's).</summary>
    public void EpochAgreed(IReadOnlyDictionary<string, byte> availability)
    {
        _availability.Clear();
        foreach (var (node, value) in availability)
        {
            _availability[node] = value;
        }
    }

    public void Dispose() => Meter.Dispose();

    private IEnumerable<Measurement<int>> ObserveAvailability() =>
        _availability.Select(a => new Measurement<int>(a.Value, new KeyValuePair<string, object?>("node", a.Key)));
}

/// <summary>The queues whose drops <see cref="NodeMetrics.Dropped"/> counts.</summary>
public static class DropQueues
{
    public const string PluginInputs = "plugin-inputs";
    public const string Outbox = "outbox";
}

/// <summary>Creates a system's <see cref="NodeMetrics"/> on first use, tagged with its address, and disposes it with the system.</summary>
public sealed class NodeMetricsProvider : ExtensionIdProvider<NodeMetrics>
{
    public override NodeMetrics CreateExtension(ExtendedActorSystem system)
    {
        var metrics = new NodeMetrics(system.Provider.DefaultAddress.ToString());
        system.RegisterOnTermination(metrics.Dispose);
        return metrics;
    }
}
