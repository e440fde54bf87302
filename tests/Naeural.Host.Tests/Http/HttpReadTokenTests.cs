using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Naeural.Actors.Commands;
using Naeural.Actors.Pipelines;
using Naeural.Host.Http;
using Naeural.Testing;
using Xunit;

namespace Naeural.Host.Tests.Http;

/// <summary>A node with a read token, over real HTTP: reads need it, a browser gets it as a cookie, signed commands don't need it.</summary>
[Collection(InProcessNodes.Name)]
public sealed class HttpReadTokenTests : IAsyncLifetime
{
    private const string Token = "read-token-for-this-test-only";
    private InProcessNetwork _network = null!;

    private Uri Address => _network[0].HttpAddress!;

    public async Task InitializeAsync() =>
        _network = await InProcessNetwork.StartAsync(1, _ => new NodeCustomization(Options: o => o.Http.ReadToken = Token));

    public async Task DisposeAsync() => await _network.DisposeAsync();

    [Fact]
    public async Task Reads_need_the_token_a_browser_keeps_it_as_a_cookie_and_signed_commands_pass_without_it()
    {
        using var bare = new HttpClient { BaseAddress = Address };
        using var refused = await bare.GetAsync("/api/nodes");
        using var bearer = new HttpRequestMessage(HttpMethod.Get, "/api/nodes") { Headers = { Authorization = new AuthenticationHeaderValue("Bearer", Token) } };
        using var admitted = await bare.SendAsync(bearer);

        // A browser: opens /?token=…, is redirected to / with the cookie, and the page's own requests (the live feed too) carry it.
        using var browser = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer() }) { BaseAddress = Address };
        using var page = await browser.GetAsync($"/?token={Token}");
        using var feed = await browser.GetAsync("/api/events", HttpCompletionOption.ResponseHeadersRead);

        var developer = new Developer();
        var command = SignedCommand.Create(PipelineActions.Create, "token-free", JsonNode.Parse(Specs.Sensor("token-free", "PASS_THROUGH", rate: 5)),
            developer.Key, DateTimeOffset.UtcNow, null);
        using var deployed = await bare.PostAsync("/api/commands", new StringContent(command.Json, Encoding.UTF8, "application/json"));

        Assert.Equal((HttpStatusCode.Unauthorized, RequestGuard.TokenRequired),
            (refused.StatusCode, (string?)JsonNode.Parse(await refused.Content.ReadAsStringAsync())!["CODE"]));
        Assert.Equal(HttpStatusCode.OK, admitted.StatusCode);
        Assert.Equal((HttpStatusCode.OK, "/"), (page.StatusCode, page.RequestMessage!.RequestUri!.AbsolutePath));
        Assert.Contains("<html", await page.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
        Assert.Equal((HttpStatusCode.OK, "text/event-stream"), (feed.StatusCode, feed.Content.Headers.ContentType?.MediaType));
        Assert.Equal(HttpStatusCode.OK, deployed.StatusCode);
    }
}
