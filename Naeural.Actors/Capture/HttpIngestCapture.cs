using System.Collections.Immutable;
using System.Net;
using System.Text;
using Akka.Actor;
using Naeural.Actors.Pipelines;

namespace Naeural.Actors.Capture;

/// <summary>
/// <c>HttpIngest</c>: listens on <c>URL</c> (an <c>http://host:port/path/</c> prefix) for POSTed JSON: one object or an
/// array of objects, each becoming a frame (numbers are values, strings metadata). Answers 202 with the count taken,
/// 400 naming what is wrong with the body, 413 over <c>MAX_BODY_BYTES</c>, and 503 with Retry-After while the pipeline
/// applies back-pressure, so the sender slows down instead of losing data. The prefix must be one the node's operator
/// allows (<see cref="IngestAllowList"/>): checked when the spec is validated and again before listening.
/// </summary>
public sealed class HttpIngestCapture : CaptureActor
{
    private readonly string _prefix;
    private readonly long _maxBodyBytes;
    private readonly IngestGate _gate = new();
    private readonly SourceAccess _access;
    private HttpListener? _listener;

    public HttpIngestCapture(JsonConfig config, IActorRef pipeline, SourceAccess access)
        : base(config, pipeline)
    {
        _access = access;
        _prefix = Normalize(Config.String("URL")!);
        _maxBodyBytes = (long)Config.Number("MAX_BODY_BYTES", 1 << 20);
        Receive<Ingested>(i => Emit(i.Frames, DateTimeOffset.UtcNow));
        Receive<ListenerFailed>(f => Failed(f.Reason));
    }

    public static void Validate(ConfigReader config, SourceAccess access)
    {
        var url = config.String("URL", required: true);
        Uri? uri = null;
        if (url is not null && (!Uri.TryCreate(Normalize(url), UriKind.Absolute, out uri) || uri.Scheme != Uri.UriSchemeHttp))
        {
            config.Error("URL", "must be an http:// prefix such as http://127.0.0.1:5080/ingest/");
        }
        else if (uri is not null && access.IngestPrefixes.Refusal(uri) is { } refusal)
        {
            config.Error("URL", refusal);
        }

        config.Number("MAX_BODY_BYTES", 1 << 20, min: 64, max: 64 << 20);
        ReadPolicy(config, ReconnectPolicy.Yes);
    }

    public static Props Props(JsonConfig config, IActorRef pipeline, SourceAccess access) =>
        Akka.Actor.Props.Create(() => new HttpIngestCapture(config, pipeline, access));

    protected override void Open()
    {
        var refusal = Uri.TryCreate(_prefix, UriKind.Absolute, out var uri) ? _access.IngestPrefixes.Refusal(uri) : $"'{_prefix}' is not an http:// prefix";
        if (refusal is not null)
        {
            throw new SourceRefusedException(refusal);
        }

        var listener = new HttpListener();
        try
        {
            listener.Prefixes.Add(_prefix);
            listener.Start();
        }
        catch
        {
            listener.Close();
            throw;
        }

        _listener = listener;
        var self = Self;
        _ = Task.Run(() => ServeAsync(listener, _gate, _maxBodyBytes, self));
    }

    protected override void OnPaused() => _gate.Paused = true;

    protected override void OnResumed() => _gate.Paused = false;

    protected override void Close()
    {
        var listener = _listener;
        _listener = null;
        listener?.Close();
    }

    private static async Task ServeAsync(HttpListener listener, IngestGate gate, long maxBodyBytes, IActorRef capture)
    {
        while (listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync();
            }
            catch (Exception) when (!listener.IsListening)
            {
                return;
            }
            catch (Exception e)
            {
                capture.Tell(new ListenerFailed(e.Message));
                return;
            }

            try
            {
                await HandleAsync(context, gate, maxBodyBytes, capture);
            }
            catch (Exception e) when (e is HttpListenerException or IOException or ObjectDisposedException)
            {
                // The client went away mid-request: nothing was taken from it.
            }
        }
    }

    private static async Task HandleAsync(HttpListenerContext context, IngestGate gate, long maxBodyBytes, IActorRef capture)
    {
        var request = context.Request;
        var response = context.Response;
        if (request.HttpMethod != "POST")
        {
            await RespondAsync(response, 405, "{\"ERROR\":\"POST JSON frames here\"}");
            return;
        }

        if (gate.Paused)
        {
            response.AddHeader("Retry-After", "1");
            await RespondAsync(response, 503, "{\"ERROR\":\"pipeline is applying back-pressure; retry\"}");
            return;
        }

        var body = new MemoryStream();
        var buffer = new byte[8192];
        int read;
        while ((read = await request.InputStream.ReadAsync(buffer)) > 0)
        {
            body.Write(buffer, 0, read);
            if (body.Length > maxBodyBytes)
            {
                await RespondAsync(response, 413, $"{{\"ERROR\":\"body over MAX_BODY_BYTES ({maxBodyBytes})\"}}");
                return;
            }
        }

        try
        {
            var frames = FrameParser.FromJsonText(Encoding.UTF8.GetString(body.GetBuffer(), 0, (int)body.Length));
            capture.Tell(new Ingested([.. frames]));
            await RespondAsync(response, 202, $"{{\"ACCEPTED\":{frames.Count}}}");
        }
        catch (FormatException e)
        {
            await RespondAsync(response, 400, System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, string> { ["ERROR"] = e.Message }));
        }
    }

    private static async Task RespondAsync(HttpListenerResponse response, int status, string json)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        response.StatusCode = status;
        response.ContentType = "application/json";
        response.ContentLength64 = bytes.Length;
        await response.OutputStream.WriteAsync(bytes);
        response.Close();
    }

    private static string Normalize(string url) => url.EndsWith('/') ? url : url + "/";

    /// <summary>The one flag the listener loop reads: set by the actor on back-pressure.</summary>
    private sealed class IngestGate
    {
        private volatile bool _paused;

        public bool Paused
        {
            get => _paused;
            set => _paused = value;
        }
    }

    private sealed record Ingested(ImmutableArray<(ImmutableDictionary<string, double> Values, ImmutableDictionary<string, string> Meta)> Frames);

    private sealed record ListenerFailed(string Reason);
}
