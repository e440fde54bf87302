using System.Collections.Immutable;
using System.Net;

namespace Naeural.Actors.Capture;

/// <summary>
/// The network endpoints an operator lets tenants' pipelines make this node connect to (MQTT brokers, HTTP targets). A spec
/// naming any other is refused when validated; when connecting, the host is resolved here and the node connects only to an
/// address the list allows (<see cref="EndpointRule.AllowsAddress"/>), never re-resolving, so a name that resolves (or is
/// re-pointed) to an address off the list is refused. Empty: tenants reach no network endpoint.
/// </summary>
public sealed class NetworkAllowList
{
    private readonly ImmutableArray<EndpointRule> _rules;

    public NetworkAllowList(IEnumerable<EndpointRule> rules, string setting)
    {
        _rules = [.. rules];
        Setting = setting;
    }

    /// <summary>The setting and flag the operator changes, as error messages name it.</summary>
    public string Setting { get; }

    public IReadOnlyList<EndpointRule> Rules => _rules;

    /// <summary>Parses a comma-separated list of <c>host:port</c> entries (names, IP addresses, CIDR ranges).</summary>
    /// <exception cref="ArgumentException">An entry is malformed; the message names <paramref name="setting"/>.</exception>
    public static NetworkAllowList Parse(string? entries, string setting) =>
        new((entries ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(e => EndpointRule.Parse(e, setting, allowRanges: true, allowPath: false)), setting);

    /// <summary>Null when a spec may name <paramref name="host"/>:<paramref name="port"/>; else why not, naming the setting.</summary>
    public string? Refusal(string what, string host, int port) =>
        _rules.Any(r => r.AllowsPort(port) && r.AllowsHost(host))
            ? null
            : $"{what} {Display(host)}:{port} is not allowed on this node; its operator allows {Allowed()} ({Setting})";

    /// <summary>
    /// Resolves <paramref name="host"/> and picks the first address the list allows for <paramref name="port"/>: where to
    /// connect (connect to exactly this address, never to the name again).
    /// </summary>
    /// <exception cref="SourceRefusedException">No address of the host is allowed, or it does not resolve.</exception>
    public async Task<IPEndPoint> ResolveAsync(string what, string host, int port, CancellationToken cancellationToken = default)
    {
        host = host.Trim('[', ']');
        if (Refusal(what, host, port) is { } refusal)
        {
            throw new SourceRefusedException(refusal);
        }

        IPAddress[] addresses;
        try
        {
            addresses = IPAddress.TryParse(host, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, cancellationToken);
        }
        catch (System.Net.Sockets.SocketException e)
        {
            throw new SourceRefusedException($"{what} {host}:{port} does not resolve: {e.Message}");
        }

        var allowed = addresses.FirstOrDefault(a => _rules.Any(r => r.AllowsPort(port) && r.AllowsAddress(host, a)));
        return allowed is not null
            ? new IPEndPoint(AddressScope.Unwrap(allowed), port)
            : throw new SourceRefusedException(
                $"{what} {Display(host)}:{port} resolves to {string.Join(", ", addresses.Select(a => a.ToString()))}, not an allowed address "
                + $"(a name may lead only to public addresses; list a private or loopback address itself to allow it) ({Setting})");
    }

    private string Allowed() => _rules.IsEmpty ? "none" : string.Join(", ", _rules.Select(r => r.Text));

    private static string Display(string host) => host.Contains(':') ? $"[{host.Trim('[', ']')}]" : host;
}
