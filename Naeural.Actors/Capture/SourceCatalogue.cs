using System.Collections.Frozen;
using Akka.Actor;
using Naeural.Actors.Pipelines;

namespace Naeural.Actors.Capture;

/// <summary>How to validate one kind of data source (<c>TYPE</c>) and start its capture actor under a pipeline.</summary>
public sealed record SourceDescriptor(
    string Type,
    string Description,
    Action<ConfigReader> Validate,
    Func<JsonConfig, IActorRef, Props> Props);

/// <summary>The data sources a node can capture from, by <c>TYPE</c> (case-insensitive).</summary>
public sealed class SourceCatalogue
{
    private readonly FrozenDictionary<string, SourceDescriptor> _byType;

    private SourceCatalogue(IEnumerable<SourceDescriptor> descriptors)
    {
        _byType = descriptors.ToFrozenDictionary(d => d.Type, StringComparer.OrdinalIgnoreCase);
    }

    public static SourceCatalogue BuiltIn { get; } = new(
    [
        new("SyntheticSensor", "Seeded sensor stream with injected anomalies", SyntheticSensorCapture.Validate, SyntheticSensorCapture.Props),
        new("FileReplay", "Replays a CSV or JSON-lines file", FileReplayCapture.Validate, FileReplayCapture.Props),
        new("HttpIngest", "Accepts JSON frames POSTed to an HTTP endpoint", HttpIngestCapture.Validate, HttpIngestCapture.Props),
        new("MqttListener", "Subscribes to an MQTT topic", MqttCapture.Validate, MqttCapture.Props),
        new("Void", "No data: for plugins that run on schedule (ALLOW_EMPTY_INPUTS)", VoidCapture.Validate, VoidCapture.Props),
    ]);

    public IEnumerable<string> Types => _byType.Keys.Order(StringComparer.Ordinal);

    public SourceDescriptor? Find(string type) => _byType.GetValueOrDefault(type);

    public SourceCatalogue With(SourceDescriptor descriptor) =>
        new(_byType.Values.Where(d => !string.Equals(d.Type, descriptor.Type, StringComparison.OrdinalIgnoreCase)).Append(descriptor));
}
