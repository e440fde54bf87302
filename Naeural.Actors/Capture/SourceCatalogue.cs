using System.Collections.Frozen;
using Akka.Actor;
using Naeural.Actors.Pipelines;

namespace Naeural.Actors.Capture;

/// <summary>
/// How to validate one kind of data source (<c>TYPE</c>) and start its capture actor under a pipeline; both are given what
/// tenants' sources may reach on this node (<see cref="SourceAccess"/>).
/// </summary>
public sealed record SourceDescriptor(
    string Type,
    string Description,
    Action<ConfigReader, SourceAccess> Validate,
    Func<JsonConfig, IActorRef, SourceAccess, Props> Props);

/// <summary>The data sources a node can capture from, by <c>TYPE</c> (case-insensitive), and what they may reach.</summary>
public sealed class SourceCatalogue
{
    private readonly FrozenDictionary<string, SourceDescriptor> _byType;

    private SourceCatalogue(IEnumerable<SourceDescriptor> descriptors, SourceAccess access)
    {
        _byType = descriptors.ToFrozenDictionary(d => d.Type, StringComparer.OrdinalIgnoreCase);
        Access = access;
    }

    /// <summary>The built-in sources, reaching nothing (<see cref="SourceAccess.None"/>) until a node gives them its access.</summary>
    public static SourceCatalogue BuiltIn { get; } = new(
    [
        new("SyntheticSensor", "Seeded sensor stream with injected anomalies", (c, _) => SyntheticSensorCapture.Validate(c),
            (c, p, _) => SyntheticSensorCapture.Props(c, p)),
        new("FileReplay", "Replays a CSV or JSON-lines file", FileReplayCapture.Validate, FileReplayCapture.Props),
        new("HttpIngest", "Accepts JSON frames POSTed to an HTTP endpoint", HttpIngestCapture.Validate, HttpIngestCapture.Props),
        new("MqttListener", "Subscribes to an MQTT topic", MqttCapture.Validate, MqttCapture.Props),
        new("Video", "Decodes a video file, a folder of pictures or a live stream (RTSP, HTTP) with ffmpeg", VideoCapture.Validate,
            VideoCapture.Props),
        new("Void", "No data: for plugins that run on schedule (ALLOW_EMPTY_INPUTS)", (c, _) => VoidCapture.Validate(c),
            (c, p, _) => VoidCapture.Props(c, p)),
    ], SourceAccess.None);

    /// <summary>What tenants' sources may reach on this node (files root, network allow-lists).</summary>
    public SourceAccess Access { get; }

    public IEnumerable<string> Types => _byType.Keys.Order(StringComparer.Ordinal);

    public SourceDescriptor? Find(string type) => _byType.GetValueOrDefault(type);

    public SourceCatalogue With(SourceDescriptor descriptor) =>
        new(_byType.Values.Where(d => !string.Equals(d.Type, descriptor.Type, StringComparison.OrdinalIgnoreCase)).Append(descriptor), Access);

    /// <summary>The same sources, reaching what <paramref name="access"/> allows.</summary>
    public SourceCatalogue WithAccess(SourceAccess access) => new(_byType.Values, access);
}
