using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Naeural.Host.Hosting;

namespace Naeural.Host.Http;

/// <summary>
/// What the HTTP edge refuses before any endpoint runs: a request whose <c>Host</c> is not one this node answers to (a web
/// page elsewhere that rebinds its own name to 127.0.0.1 must not read the dashboard); with a
/// <see cref="HttpOptions.ReadToken"/>, a request without it (signed requests excepted: their signature is their proof);
/// without one, on a node bound beyond loopback, the operator's reads of what belongs to owners (pipelines, receipts,
/// channels: owners read theirs with signed reads); and a long-lived stream past <see cref="HttpOptions.MaxStreams"/> (each
/// holds an actor and a socket).
/// </summary>
internal sealed class RequestGuard(HttpOptions options)
{
    public const string BadHost = "BAD_HOST";
    public const string TooManyStreams = "TOO_MANY_STREAMS";
    public const string TokenRequired = "TOKEN_REQUIRED";
    public const string TokenCookie = "naeural_token";
    public const string TokenQuery = "token";
    public const string OperatorOnly = "OPERATOR_ONLY";

    /// <summary>
    /// The unsigned reads of what belongs to owners: the operator's (the read token, or the machine's users on a loopback
    /// node). The network view, the node, epochs and balances are public, as on a block explorer. The live event feed carries
    /// the payloads the node hosts, so it is the operator's too.
    /// </summary>
    private static readonly string[] OwnersReads = ["/api/pipelines", "/api/receipts", "/api/channels", "/api/events"];

    /// <summary>The endpoints whose bodies are signed and verified by the node's actors: open without the read token.</summary>
    private static readonly string[] SignedEndpoints = ["/api/commands", "/api/payloads", "/api/ledger"];

    private readonly byte[]? _token = string.IsNullOrEmpty(options.ReadToken) ? null : Encoding.UTF8.GetBytes(options.ReadToken);

    private static readonly string[] LoopbackNames = ["localhost", "127.0.0.1", "[::1]", "::1"];

    private readonly string[] _allowed = AllowedNames(options);
    private readonly bool _loopback = IPAddress.TryParse(options.Hostname, out var bound) && IPAddress.IsLoopback(bound);
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

    /// <summary>
    /// Admits a request that carries the read token (<c>Authorization: Bearer</c>, or the cookie a browser got by opening
    /// <c>/?token=…</c> once, which answers with the cookie and a redirect that drops the token from the address bar).
    /// </summary>
    public async Task RequireTokenAsync(HttpContext context, RequestDelegate next)
    {
        var request = context.Request;
        if (_token is null && !_loopback && OwnersReads.Any(r => request.Path.StartsWithSegments(r, StringComparison.OrdinalIgnoreCase)))
        {
            await JsonReplies.ErrorAsync(context, StatusCodes.Status403Forbidden, OperatorOnly,
                $"{request.Path} reads what belongs to owners: on a node reachable beyond loopback it needs the read token (--http-token); "
                + "owners read theirs with a signed read (POST /api/commands, ACTION GET_PIPELINES, GET_RECEIPTS, GET_BILLED or GET_ACCOUNT)");
            return;
        }

        if (_token is null || HttpMethods.IsPost(request.Method) && SignedEndpoints.Any(e => request.Path.Equals(e, StringComparison.OrdinalIgnoreCase)))
        {
            await next(context);
            return;
        }

        if (request.Query[TokenQuery].ToString() is { Length: > 0 } offered && Matches(offered))
        {
            context.Response.Cookies.Append(TokenCookie, offered, new CookieOptions
            {
                HttpOnly = true, SameSite = SameSiteMode.Strict, Path = "/", Secure = request.IsHttps,
            });
            context.Response.Redirect(request.PathBase + request.Path);
            return;
        }

        var authorization = request.Headers.Authorization.ToString();
        var presented = authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? authorization[7..].Trim() : request.Cookies[TokenCookie];
        if (presented is not null && Matches(presented))
        {
            await next(context);
            return;
        }

        await JsonReplies.ErrorAsync(context, StatusCodes.Status401Unauthorized, TokenRequired,
            "this node's HTTP API needs its read token (--http-token): send Authorization: Bearer TOKEN, or open /?token=TOKEN once in a browser");
    }

    private bool Matches(string presented) => CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(presented), _token);

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
