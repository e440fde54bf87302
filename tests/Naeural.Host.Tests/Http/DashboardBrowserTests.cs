using System.Buffers.Binary;
using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Naeural.Testing;
using Xunit;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Naeural.Host.Tests.Http;

/// <summary>
/// The dashboard in a real headless browser (Debian's Chromium driven by Playwright): a 2-node network, one sensor pipeline
/// pinned to each node, and node 0's dashboard, which must show both nodes and a network-wide payload count that rises.
/// </summary>
[Collection(InProcessNodes.Name)]
public sealed class DashboardBrowserTests(ITestOutputHelper output)
{
    /// <summary>Where the system's browser is (scripts/install-test-deps.sh installs it); Playwright's own download is never used.</summary>
    private const string Chromium = "/usr/bin/chromium";

    private static readonly string[] ChromiumArgs =
    [
        "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync",
    ];

    [Fact]
    public async Task Node_0s_dashboard_shows_both_nodes_and_a_rising_network_payload_count_in_a_headless_browser()
    {
        await using var network = await InProcessNetwork.StartAsync(2);
        var developer = new Developer();
        var client = developer.ClientFor(network[0]);
        for (var i = 0; i < 2; i++)
        {
            await client.DeployAsync(Specs.Sensor($"sensor-{i}", "PASS_THROUGH", rate: 20,
                source: $"\"PLACEMENT\": {{ \"NODE\": \"{network[i].NodeId}\" }}"));
        }

        using var profile = new TempDirectory("naeural-chromium");
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchPersistentContextAsync(profile.Path, new BrowserTypeLaunchPersistentContextOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = ChromiumArgs,
            ViewportSize = new ViewportSize { Width = 1400, Height = 1100 },
        });
        SetDefaultExpectTimeout(30_000);
        var page = browser.Pages.Count > 0 ? browser.Pages[0] : await browser.NewPageAsync();
        page.Console += (_, message) => output.WriteLine($"browser: {message.Text}");

        await page.GotoAsync(network[0].HttpAddress!.ToString());

        var nodes = page.Locator("#nodes tbody");
        await Expect(nodes).ToContainTextAsync(network[0].NodeId);
        await Expect(nodes).ToContainTextAsync(network[1].NodeId);
        // Node 1's pipeline reaches node 0's dashboard only through node 1's heartbeat: its row counts payloads.
        await Expect(page.Locator($"#nodes tr[data-node='{network[1].NodeId}'] td:nth-child(11)")).Not.ToHaveTextAsync("0");
        var counter = page.Locator("#payload-counter");
        await Expect(counter).Not.ToHaveTextAsync("0");
        var first = await counter.TextContentAsync();
        await Expect(counter).Not.ToHaveTextAsync(first!);
        var second = await counter.TextContentAsync();
        output.WriteLine($"payload counter: {first} then {second}");
        Assert.True(Count(second) > Count(first), $"the counter went from {first} to {second}");
        await Expect(page.Locator("#feed li").First).ToContainTextAsync("sensor-0"); // the live feed shows node 0's own payloads
        await Expect(page.Locator("#pipelines tbody")).ToContainTextAsync("PASS_THROUGH");
        await Expect(page.Locator("#chart")).ToHaveAttributeAsync("data-samples", new Regex("^([3-9]|[1-9][0-9]+)$")); // a line to look at

        var screenshot = Path.Combine(AppContext.BaseDirectory, "screenshots", "dashboard.png");
        Directory.CreateDirectory(Path.GetDirectoryName(screenshot)!);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = screenshot, FullPage = true });
        output.WriteLine($"screenshot: {screenshot}");

        var png = await File.ReadAllBytesAsync(screenshot);
        Assert.True(png.Length > 20_000, $"the screenshot is only {png.Length} bytes");
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A }, png[..8]);
        var (width, height) = (BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16)), BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20)));
        Assert.True(width >= 1400 && height >= 1100, $"the screenshot is {width}x{height}");
    }

    private static long Count(string? text) => long.Parse(text!, NumberStyles.AllowThousands, CultureInfo.InvariantCulture);
}
