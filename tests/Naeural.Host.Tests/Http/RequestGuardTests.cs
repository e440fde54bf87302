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

    private static DefaultHttpContext Context() => new() { Response = { Body = new MemoryStream() } };

    private static string? Code(DefaultHttpContext context)
    {
        context.Response.Body.Position = 0;
        return (string?)JsonNode.Parse(context.Response.Body)!["CODE"];
    }
}
