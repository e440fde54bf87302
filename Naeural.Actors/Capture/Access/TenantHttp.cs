using System.Net.Sockets;

namespace Naeural.Actors.Capture;

/// <summary>
/// The only way a source or plugin that fetches or posts on a tenant's behalf should make HTTP requests: URLs are checked
/// against the HTTP target allow-list (<see cref="Refusal"/>, at validation), and every connection the client opens resolves
/// its host through <see cref="NetworkAllowList.ResolveAsync"/> and connects to that checked address. No proxy (it would
/// be the only address checked), no automatic redirects.
/// </summary>
public static class TenantHttp
{
    /// <summary>Null when a spec may name <paramref name="url"/> as an HTTP(S) target; else why not, naming the setting.</summary>
    public static string? Refusal(NetworkAllowList targets, string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            ? targets.Refusal("HTTP target", uri.Host, uri.Port)
            : $"'{url}' is not an http:// or https:// URL";

    /// <summary>A client whose every connection goes only to an address <paramref name="targets"/> allows.</summary>
    public static HttpClient Client(NetworkAllowList targets, TimeSpan timeout)
    {
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseProxy = false,
            ConnectCallback = async (context, cancellationToken) =>
            {
                var endpoint = await targets.ResolveAsync("HTTP target", context.DnsEndPoint.Host, context.DnsEndPoint.Port, cancellationToken);
                var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    await socket.ConnectAsync(endpoint, cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        return new HttpClient(handler) { Timeout = timeout };
    }
}
