using System.Collections.Immutable;

namespace Naeural.Actors.Capture;

/// <summary>
/// Where tenants' <c>HttpIngest</c> sources may listen: <c>host:port[/path/]</c> entries (host an IP address, a name, or
/// HttpListener's <c>+</c>/<c>*</c> wildcards, matched as written; port a number or <c>*</c>). A tenant's prefix must use an
/// entry's host and port and lie under its path. Empty: tenants open no listener.
/// </summary>
public sealed class IngestAllowList
{
    private readonly ImmutableArray<EndpointRule> _rules;

    public IngestAllowList(IEnumerable<EndpointRule> rules, string setting)
    {
        _rules = [.. rules];
        Setting = setting;
    }

    /// <summary>The setting and flag the operator changes, as error messages name it.</summary>
    public string Setting { get; }

    public IReadOnlyList<EndpointRule> Rules => _rules;

    /// <exception cref="ArgumentException">An entry is malformed; the message names <paramref name="setting"/>.</exception>
    public static IngestAllowList Parse(string? entries, string setting) =>
        new((entries ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(e => EndpointRule.Parse(e, setting, allowRanges: false, allowPath: true)), setting);

    /// <summary>Null when a tenant may listen on <paramref name="prefix"/>; else why not, naming the setting.</summary>
    public string? Refusal(Uri prefix)
    {
        var path = prefix.AbsolutePath.EndsWith('/') ? prefix.AbsolutePath : prefix.AbsolutePath + "/";
        return _rules.Any(r => r.AllowsPort(prefix.Port) && r.AllowsHost(prefix.Host)
                               && path.StartsWith(r.PathPrefix, StringComparison.OrdinalIgnoreCase))
            ? null
            : $"ingest prefix {prefix} is not allowed on this node; its operator allows "
              + $"{(_rules.IsEmpty ? "none" : string.Join(", ", _rules.Select(r => r.Text)))} ({Setting})";
    }
}
