using System.Globalization;
using System.Net;

namespace Naeural.Actors.Capture;

/// <summary>
/// One entry of an operator's allow-list: <c>host:port</c>. The host is a DNS name (matched by name, case-insensitively),
/// an IP address (<c>[v6]</c> in brackets) or, where allowed, a CIDR range (<c>10.0.0.0/8</c>, <c>[fd00::/8]</c>); the port a
/// number or <c>*</c> (any). Ingest entries may add a path prefix (<c>127.0.0.1:5080/ingest/</c>).
/// </summary>
public sealed record EndpointRule(string? Name, IPAddress? Network, int Bits, int? Port, string PathPrefix)
{
    /// <summary>The entry as the operator would write it.</summary>
    public string Text { get; init; } = "";

    /// <summary>Parses one entry; the message of the exception names <paramref name="setting"/>.</summary>
    /// <exception cref="ArgumentException">The entry is malformed.</exception>
    public static EndpointRule Parse(string text, string setting, bool allowRanges, bool allowPath)
    {
        var bracket = text.StartsWith('[') ? text.IndexOf(']') : -1;
        var slash = allowPath ? text.IndexOf('/', Math.Max(0, bracket)) : -1;
        var hostPort = slash >= 0 ? text[..slash] : text;
        var path = slash >= 0 ? text[slash..] : "/";
        var colon = hostPort.LastIndexOf(':');
        if (colon <= 0 || colon < bracket || (bracket < 0 && hostPort.StartsWith('[')))
        {
            throw Bad(text, setting, "is not host:port (port a number or *)");
        }

        var host = hostPort[..colon].Trim('[', ']');
        var portText = hostPort[(colon + 1)..];
        int? port = portText == "*" ? null
            : int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out var p) && p is > 0 and <= 65535 ? p
            : throw Bad(text, setting, $"has no valid port ('{portText}': 1..65535 or *)");
        if (!path.EndsWith('/'))
        {
            path += "/";
        }

        var rule = host.Split('/') switch
        {
            [var ip] when IPAddress.TryParse(ip, out var address) => new EndpointRule(null, AddressScope.Unwrap(address), FullBits(address), port, path),
            [var ip, var bits] when allowRanges && IPAddress.TryParse(ip, out var network)
                                                && int.TryParse(bits, NumberStyles.None, CultureInfo.InvariantCulture, out var b)
                                                && b <= FullBits(AddressScope.Unwrap(network)) =>
                new EndpointRule(null, AddressScope.Unwrap(network), b, port, path),
            [var name] when Uri.CheckHostName(name) == UriHostNameType.Dns || (allowPath && name is "+" or "*") => new EndpointRule(name.TrimEnd('.'), null, 0, port, path),
            _ => throw Bad(text, setting, allowRanges ? "has no valid host (a DNS name, an IP address or a CIDR range)" : "has no valid host (a DNS name or an IP address)"),
        };
        return rule with { Text = text };
    }

    /// <summary>Whether the port matches.</summary>
    public bool AllowsPort(int port) => Port is null || Port == port;

    /// <summary>Whether a host as a tenant wrote it matches this entry (by name, or an IP literal inside the address or range).</summary>
    public bool AllowsHost(string host)
    {
        host = host.Trim('[', ']').TrimEnd('.');
        if (Network is not null)
        {
            return IPAddress.TryParse(host, out var address) && AddressScope.InRange(AddressScope.Unwrap(address), Network, Bits);
        }

        return string.Equals(Name, host, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>
    /// Whether the node may connect to <paramref name="address"/>, which <paramref name="host"/> resolved to: inside this
    /// entry's address or range; or, for a named entry, <paramref name="host"/> is that name and the address is public (a name
    /// that resolves into the node's own networks is allowed only by listing that address too).
    /// </summary>
    public bool AllowsAddress(string host, IPAddress address) =>
        Network is not null
            ? AddressScope.InRange(AddressScope.Unwrap(address), Network, Bits)
            : AllowsHost(host) && AddressScope.IsPublic(address);

    private static int FullBits(IPAddress address) => address.GetAddressBytes().Length * 8;

    private static ArgumentException Bad(string text, string setting, string why) => new($"{setting}: '{text}' {why}");
}
