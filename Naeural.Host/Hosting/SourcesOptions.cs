using Naeural.Actors.Capture;

namespace Naeural.Host.Hosting;

/// <summary>
/// What tenants' data sources may reach on this node (tenants are anyone whose key the node admits, and they choose their
/// sources). By default: files only under <c>&lt;data&gt;/files</c>, and no network endpoint at all: every MQTT broker,
/// HTTP target and ingest listener a tenant may use is one the operator listed.
/// </summary>
public sealed class SourcesOptions
{
    /// <summary>The folder file sources read (paths relative to it, or absolute inside it). Unset: <c>&lt;data&gt;/files</c>.</summary>
    public string? FilesRoot { get; set; }

    /// <summary>
    /// MQTT brokers tenants' sources may connect to, comma-separated <c>host:port</c> (host a DNS name, an IP address or a CIDR
    /// range; port a number or <c>*</c>). A name may lead only to public addresses: list a private or loopback address (or
    /// range) itself to allow it. Empty: none.
    /// </summary>
    public string MqttBrokers { get; set; } = "";

    /// <summary>HTTP(S) hosts tenants' sources and plugins may fetch from or post to, in the same form as <see cref="MqttBrokers"/>. Empty: none.</summary>
    public string HttpTargets { get; set; } = "";

    /// <summary>
    /// Where tenants' <c>HttpIngest</c> sources may listen, comma-separated <c>host:port[/path/]</c> (host the IP address to bind,
    /// a name, or <c>+</c>/<c>*</c>; port a number or <c>*</c>); a tenant's prefix must lie under one. Empty: none.
    /// </summary>
    public string IngestPrefixes { get; set; } = "";

    /// <summary>The folder file sources read, in full.</summary>
    public string FullFilesRoot(string fullDataDirectory) =>
        Path.GetFullPath(string.IsNullOrWhiteSpace(FilesRoot) ? Path.Combine(fullDataDirectory, "files") : FilesRoot);

    /// <summary>What the settings allow, for the node's source catalogue.</summary>
    /// <exception cref="ArgumentException">An entry is malformed (the message names its setting).</exception>
    public SourceAccess Access(string fullDataDirectory) => new(
        new FilesRoot(FullFilesRoot(fullDataDirectory)),
        NetworkAllowList.Parse(MqttBrokers, SourceAccess.MqttBrokersSetting),
        NetworkAllowList.Parse(HttpTargets, SourceAccess.HttpTargetsSetting),
        IngestAllowList.Parse(IngestPrefixes, SourceAccess.IngestPrefixesSetting));

    /// <summary>
    /// Fails fast, naming the setting: malformed entries, and a files root that would hand tenants the node's secrets (its
    /// data folder with the key and journal, or a TLS file).
    /// </summary>
    public void Validate(string fullDataDirectory, IEnumerable<string> secretFiles)
    {
        _ = Access(fullDataDirectory);
        var root = FullFilesRoot(fullDataDirectory);
        if (Actors.Capture.FilesRoot.Contains(root, Path.TrimEndingDirectorySeparator(fullDataDirectory)))
        {
            throw new ArgumentException($"Naeural:Sources:FilesRoot (--files-root) '{root}' must not contain the node's data folder "
                                        + $"'{fullDataDirectory}' (its key and journal): tenants read every file under it");
        }

        foreach (var secret in secretFiles.Select(Path.GetFullPath).Where(f => Actors.Capture.FilesRoot.Contains(root, f)))
        {
            throw new ArgumentException($"Naeural:Sources:FilesRoot (--files-root) '{root}' must not contain '{secret}': tenants read every file under it");
        }
    }
}
