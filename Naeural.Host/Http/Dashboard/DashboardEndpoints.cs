using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Naeural.Host.Http.Dashboard;

/// <summary>
/// The dashboard: a page, a script and a style sheet embedded in this assembly (no build step, no CDN), served at <c>/</c>;
/// the page reads the JSON API and <c>/api/events</c>, this node's live payload feed (Server-Sent Events).
/// </summary>
internal static class DashboardEndpoints
{
    private static readonly (string Path, string Resource, string ContentType)[] Files =
    [
        ("/", "index.html", "text/html; charset=utf-8"),
        ("/index.html", "index.html", "text/html; charset=utf-8"),
        ("/dashboard.js", "dashboard.js", "text/javascript; charset=utf-8"),
        ("/dashboard.css", "dashboard.css", "text/css; charset=utf-8"),
    ];

    public static void Map(IEndpointRouteBuilder app, HttpNode node)
    {
        foreach (var (path, resource, contentType) in Files)
        {
            var bytes = Load(resource);
            app.MapGet(path, async context =>
            {
                context.Response.ContentType = contentType;
                context.Response.Headers.CacheControl = "no-cache";
                context.Response.Headers["X-Content-Type-Options"] = "nosniff";
                await context.Response.Body.WriteAsync(bytes, context.RequestAborted);
            });
        }

        app.MapGet("/api/events", context => EventsAsync(context, node));
    }

    private static async Task EventsAsync(HttpContext context, HttpNode node)
    {
        using var slot = await node.Guard.EnterStreamAsync(context);
        if (slot is null)
        {
            return;
        }

        var events = Channel.CreateBounded<ServerSentEvent>(new BoundedChannelOptions(256)
        {
            SingleReader = true,
            SingleWriter = true,
            FullMode = BoundedChannelFullMode.DropOldest,
        });
        var feed = node.System.ActorOf(LocalPayloadFeed.Props(events.Writer));
        try
        {
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, node.Stopping);
            ServerSentEvents.Start(context);
            await ServerSentEvents.WriteAsync(context, new ServerSentEvent("hello", $"{{\"nodeId\":\"{node.NodeId}\"}}"), stop.Token);
            await ServerSentEvents.PumpAsync(context, events.Reader, stop.Token);
        }
        finally
        {
            node.System.Stop(feed);
        }
    }

    private static byte[] Load(string name)
    {
        var assembly = typeof(DashboardEndpoints).Assembly;
        using var stream = assembly.GetManifestResourceStream($"Naeural.Host.Dashboard.{name}")
                           ?? throw new InvalidOperationException($"dashboard file {name} is not embedded in {assembly.GetName().Name}");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
