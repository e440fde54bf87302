using System.Buffers;
using System.Text;
using System.Threading.Channels;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Naeural.Host.Http;

/// <summary>One Server-Sent Event: <see cref="Name"/> null makes it a comment (a keep-alive); <see cref="Sequence"/> &gt; 0 becomes its id.</summary>
/// <param name="Data">One line of JSON.</param>
internal sealed record ServerSentEvent(string? Name, string Data, long Sequence = 0)
{
    public static ServerSentEvent KeepAlive { get; } = new(null, "keep-alive");
}

/// <summary>Writes a stream of events to an HTTP response as <c>text/event-stream</c>.</summary>
internal static class ServerSentEvents
{
    /// <summary>How often a quiet stream sends a comment, so proxies keep it open and a gone client is noticed.</summary>
    public static readonly TimeSpan KeepAliveInterval = TimeSpan.FromSeconds(15);

    public static void Start(HttpContext context)
    {
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "text/event-stream; charset=utf-8";
        context.Response.Headers.CacheControl = "no-cache, no-store";
        context.Response.Headers["X-Accel-Buffering"] = "no";
        context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
    }

    /// <summary>
    /// Writes what <paramref name="events"/> yields until it completes or <paramref name="stop"/> fires; after each write that
    /// reached the connection, <paramref name="written"/> gets the highest sequence number in it.
    /// </summary>
    public static async Task PumpAsync(HttpContext context, ChannelReader<ServerSentEvent> events, CancellationToken stop, Action<long>? written = null)
    {
        var writer = context.Response.BodyWriter;
        try
        {
            while (await events.WaitToReadAsync(stop))
            {
                var last = 0L;
                while (events.TryRead(out var e))
                {
                    writer.Write(Encode(e));
                    last = Math.Max(last, e.Sequence);
                }

                var flushed = await writer.FlushAsync(stop);
                if (flushed.IsCanceled || flushed.IsCompleted)
                {
                    return;
                }

                if (last > 0)
                {
                    written?.Invoke(last);
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // the caller went away, or the node stops
        }
    }

    public static async Task WriteAsync(HttpContext context, ServerSentEvent e, CancellationToken stop)
    {
        context.Response.BodyWriter.Write(Encode(e));
        await context.Response.BodyWriter.FlushAsync(stop);
    }

    private static byte[] Encode(ServerSentEvent e)
    {
        var text = e.Name is null
            ? $": {e.Data}\n\n"
            : (e.Sequence > 0 ? $"id: {e.Sequence}\n" : "") + $"event: {e.Name}\ndata: {e.Data}\n\n";
        return Encoding.UTF8.GetBytes(text);
    }
}
