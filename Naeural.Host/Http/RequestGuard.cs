using System.Net;
using Microsoft.AspNetCore.Http;
using Naeural.Host.Hosting;

namespace Naeural.Host.Http;

/// <summary>
/// What the HTTP edge refuses before any endpoint runs: a request whose <c>Host</c> is not one this node answers to (a web
/// page elsewhere that rebinds its own name to 127.0.0.1 must not read the dashboard), and a long-lived stream past
/// <see cref="HttpOptions.MaxStreams"/> (each holds an actor and a socket).
/// </summary>
internal sealed class RequestGuard(HttpOptions options)
{
    public const string BadHost = "BAD_HOST";
    public const string TooManyStreams = "TOO_MANY_STREAMS";

    private static readonly string[] LoopbackNames = ["localhost", "127.0.0.1", "[::1]", "::1"];

    private readonly string[] _allowed = AllowedNames(options);
    private int _streams;

    /// <summary>The names this node answers to: <see cref="HttpOptions.AllowedHosts"/>, else the loopback names when bound to
    /// loopback, else any (a node bound to a public address is reached under names it can't know).</summary>
    private static string[] AllowedNames(HttpOptions options)
    {
        var configured = options.AllowedHosts.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (configured.Length > 0)
        {
            return configured;
        }

        return IPAddress.TryParse(options.Hostname, out var bound) && IPAddress.IsLoopback(bound) ? LoopbackNames : ["*"];
    }

    public bool AllowsHost(HostString host) =>
        _allowed.Contains("*") || host.HasValue && _allowed.Any(name => string.Equals(name, host.Host, StringComparison.OrdinalIgnoreCase));

    public async Task FilterHostsAsync(HttpContext context, RequestDelegate next)
    {
        if (!AllowsHost(context.Request.Host))
        {
            await JsonReplies.ErrorAsync(context, StatusCodes.Status400BadRequest, BadHost,
                $"this node does not answer to Host '{context.Request.Host}' (allowed: {string.Join(", ", _allowed)}; set --http-allowed-hosts)");
            return;
        }

        await next(context);
    }

    /// <summary>Takes one of the stream slots, or answers 503 and returns null; dispose the slot when the stream ends.</summary>
    public async Task<IDisposable?> EnterStreamAsync(HttpContext context)
    {
        if (Interlocked.Increment(ref _streams) > options.MaxStreams)
        {
            Interlocked.Decrement(ref _streams);
            context.Response.Headers.RetryAfter = "5";
            await JsonReplies.ErrorAsync(context, StatusCodes.Status503ServiceUnavailable, TooManyStreams,
                $"this node already serves {options.MaxStreams} streams (Naeural:Http:MaxStreams); try again later");
            return null;
        }

        return new StreamSlot(this);
    }

    private sealed class StreamSlot(RequestGuard guard) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                Interlocked.Decrement(ref guard._streams);
            }
        }
    }
}
