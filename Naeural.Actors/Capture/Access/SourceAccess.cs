namespace Naeural.Actors.Capture;

/// <summary>
/// What tenants' data sources may reach on this node, set by its operator: the one folder file sources read, and the
/// network endpoints sources connect to or listen on. Checked where a spec is validated and again where a source opens.
/// </summary>
public sealed record SourceAccess(FilesRoot? Files, NetworkAllowList MqttBrokers, NetworkAllowList HttpTargets, IngestAllowList IngestPrefixes)
{
    public const string FilesRootSetting = "Naeural:Sources:FilesRoot, --files-root";
    public const string MqttBrokersSetting = "Naeural:Sources:MqttBrokers, --mqtt-brokers";
    public const string HttpTargetsSetting = "Naeural:Sources:HttpTargets, --http-targets";
    public const string IngestPrefixesSetting = "Naeural:Sources:IngestPrefixes, --ingest-prefixes";

    /// <summary>Nothing: no files, no network (what a catalogue knows before a node configures it).</summary>
    public static SourceAccess None { get; } = new(
        null,
        new NetworkAllowList([], MqttBrokersSetting),
        new NetworkAllowList([], HttpTargetsSetting),
        new IngestAllowList([], IngestPrefixesSetting));

    /// <summary>The real path of a file a tenant's source names, or why it may not be read.</summary>
    public (string? Path, string? Refusal) ResolveFile(string requested) =>
        Files?.Resolve(requested) ?? (null, $"'{requested}': this node reads no files for tenants (set {FilesRootSetting})");
}
