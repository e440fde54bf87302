using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Naeural.Host.Hosting;
using Naeural.Host.Http;
using Xunit;

namespace Naeural.Host.Tests.Http;

public sealed class RequestGuardTests
{
    [Theory]
    [InlineData("127.0.0.1", "", "localhost", true)]
    [InlineData("127.0.0.1", "", "127.0.0.1", true)]
    [InlineData("127.0.0.1", "", "[::1]", true)]
    [InlineData("127.0.0.1", "", "evil.example", false)]
    [InlineData("127.0.0.1", "", "", false)]
    [InlineData("0.0.0.0", "", "node7.example", true)]
    [InlineData("0.0.0.0", "node7.example, localhost", "NODE7.example", true)]
    [InlineData("0.0.0.0", "node7.example, localhost", "evil.example", false)]
    [InlineData("127.0.0.1", "*", "anything.example", true)]
    public void The_host_filter_admits_loopback_names_on_loopback_and_the_configured_names_elsewhere(string bound, string allowed, string host, bool admitted)
    {
        var guard = new RequestGuard(new HttpOptions { Hostname = bound, AllowedHosts = allowed });

        Assert.Equal(admitted, guard.AllowsHost(host.Length == 0 ? default : new HostString(host, 8080)));
    }

    [Fact]
    public async Task Streams_past_MaxStreams_are_503_TOO_MANY_STREAMS_until_one_ends()
    {
        var guard = new RequestGuard(new HttpOptions { MaxStreams = 2 });

        var first = await guard.EnterStreamAsync(new DefaultHttpContext());
        var second = await guard.EnterStreamAsync(new DefaultHttpContext());
        var refusedContext = Context();
        var refused = await guard.EnterStreamAsync(refusedContext);
        first!.Dispose();
        first.Dispose(); // a slot is given back once
        var afterOneEnded = await guard.EnterStreamAsync(new DefaultHttpContext());
        var stillFull = await guard.EnterStreamAsync(new DefaultHttpContext());

        Assert.NotNull(second);
        Assert.Null(refused);
        Assert.Equal((503, RequestGuard.TooManyStreams), (refusedContext.Response.StatusCode, Code(refusedContext)));
        Assert.NotNull(afterOneEnded);
        Assert.Null(stillFull);
    }

    private const string Token = "a-token-of-24-characters";

    [Theory]
    [InlineData("GET", "/api/nodes", null, null, 401)]
    [InlineData("GET", "/api/nodes", "Bearer " + Token, null, 200)]
    [InlineData("GET", "/api/nodes", "Bearer a-token-of-24-characterZ", null, 401)]
    [InlineData("GET", "/api/nodes", "Bearer " + Token + "x", null, 401)]
    [InlineData("GET", "/api/events", null, Token, 200)]
    [InlineData("GET", "/", null, "wrong", 401)]
    [InlineData("POST", "/api/commands", null, null, 200)] // signed: the signature is the proof
    [InlineData("POST", "/api/ledger", null, null, 200)]
    [InlineData("GET", "/api/commands", null, null, 401)]
    [InlineData("POST", "/api/nodes", null, null, 401)]
    public async Task With_a_read_token_only_signed_posts_pass_without_it(string method, string path, string? authorization, string? cookie, int status)
    {
        var guard = new RequestGuard(new HttpOptions { ReadToken = Token });
        var context = Context();
        (context.Request.Method, context.Request.Path) = (method, path);
        if (authorization is not null)
        {
            context.Request.Headers.Authorization = authorization;
        }

        if (cookie is not null)
        {
            context.Request.Headers.Cookie = $"{RequestGuard.TokenCookie}={cookie}";
        }

        await AssertGuardedAsync(guard, context, status, 401, RequestGuard.TokenRequired);
    }

    [Theory]
    [InlineData("0.0.0.0", "/api/receipts", 403)]
    [InlineData("0.0.0.0", "/api/channels", 403)]
    [InlineData("0.0.0.0", "/api/pipelines", 403)]
    [InlineData("0.0.0.0", "/api/pipelines/0x0000000000000000000000000000000000000001/p", 403)]
    [InlineData("0.0.0.0", "/api/events", 403)] // the live feed of the payloads the node hosts
    [InlineData("0.0.0.0", "/api/nodes", 200)] // public, like a block explorer
    [InlineData("0.0.0.0", "/api/epochs", 200)]
    [InlineData("0.0.0.0", "/api/balances", 200)]
    [InlineData("127.0.0.1", "/api/receipts", 200)] // on loopback the machine's users are the operator
    public async Task Without_a_read_token_a_node_reachable_beyond_loopback_serves_no_owners_data_unsigned(string bound, string path, int status)
    {
        var guard = new RequestGuard(new HttpOptions { Hostname = bound });
        var context = Context();
        (context.Request.Method, context.Request.Path) = ("GET", path);

        await AssertGuardedAsync(guard, context, status, 403, RequestGuard.OperatorOnly);
    }

    /// <summary>The request passes the guard exactly when <paramref name="status"/> is 200; a refusal carries its code.</summary>
    private static async Task AssertGuardedAsync(RequestGuard guard, DefaultHttpContext context, int status, int refusal, string code)
    {
        var passed = false;
        await guard.RequireTokenAsync(context, _ =>
        {
            passed = true;
            return Task.CompletedTask;
        });

        Assert.Equal(status == 200, passed);
        Assert.Equal(status, context.Response.StatusCode);
        if (status == refusal)
        {
            Assert.Equal(code, Code(context));
        }
    }

    [Fact]
    public async Task Opening_the_dashboard_with_the_token_sets_the_cookie_and_drops_the_token_from_the_address()
    {
        var guard = new RequestGuard(new HttpOptions { ReadToken = Token });
        var context = Context();
        (context.Request.Method, context.Request.Path, context.Request.QueryString) = ("GET", "/", new QueryString($"?token={Token}"));

        await guard.RequireTokenAsync(context, _ => throw new InvalidOperationException("the page itself is served after the redirect"));

        Assert.Equal((302, "/"), (context.Response.StatusCode, context.Response.Headers.Location.ToString()));
        var cookie = context.Response.Headers.SetCookie.ToString();
        Assert.StartsWith($"{RequestGuard.TokenCookie}={Token}", cookie);
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void A_read_token_shorter_than_16_characters_is_refused_at_start()
    {
        var refused = Assert.Throws<ArgumentException>(() => new HttpOptions { ReadToken = "short" }.Validate());

        Assert.Contains("--http-token", refused.Message);
    }

    private static DefaultHttpContext Context() => new() { Response = { Body = new MemoryStream() } };

    private static string? Code(DefaultHttpContext context)
    {
        context.Response.Body.Position = 0;
        return (string?)JsonNode.Parse(context.Response.Body)!["CODE"];
    }
}
