using System.Collections.Immutable;
using System.Diagnostics;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Akka.Actor;
using Naeural.Actors.Pipelines;

namespace Naeural.Actors.Capture;

/// <summary>
/// <c>Video</c>: decodes pictures with ffmpeg (Debian's <c>ffmpeg</c>) from <c>URL</c>: a video file or a folder of pictures
/// (PNG, JPEG, BMP; in name order) inside the node's files root, or a live stream (<c>http(s)://</c> carrying MPEG-TS,
/// Matroska, FLV or Motion JPEG) on the node's HTTP allow-list (<c>--http-targets</c>), fetched by the node itself (each
/// connection to an allowed address, redirects not followed, 10 s without data ends it) and piped into ffmpeg. RTSP is
/// refused for now: ffmpeg's RTSP client follows a server's redirects past the allow-list. Every frame carries its picture
/// (<see cref="FrameImage"/>) at <c>WIDTH</c>×<c>HEIGHT</c> (at most 1920 a side), at <c>CAP_RESOLUTION</c> frames per second
/// (0: each decoded frame). Back-pressured like every source, and by size: a frame is read from ffmpeg only while the
/// pipeline has credit and the pictures in flight stay under <see cref="PictureBudget"/>, so a slow pipeline slows the decoder
/// (files) or the fetch (live). The end of a file or folder, or a stream that drops, follows <c>RECONNECTABLE</c> (files: NO
/// by default; streams: YES, with back-off). ffmpeg's last error lines (a corrupt file) are the failure's reason. ffmpeg runs
/// without the node's environment.
/// </summary>
public sealed class VideoCapture : CaptureActor
{
    /// <summary>The ffmpeg binary (Debian: <c>apt-get install ffmpeg</c>).</summary>
    public const string Ffmpeg = "ffmpeg";

    private const int MaxSide = 1920;

    /// <summary>The bytes of pictures one source may have in flight in its pipeline (at least a few frames, whatever their size).</summary>
    private const long PictureBudget = 64L * 1024 * 1024;

    private static readonly TimeSpan StreamIdle = TimeSpan.FromSeconds(10);

    /// <summary>Pictures the reader may decode ahead of the pipeline's answer (a push source may overshoot its credit by this).</summary>
    private const int ReadAhead = 4;

    private readonly SourceAccess _access;
    private readonly string _url;
    private readonly int _width;
    private readonly int _height;
    private readonly double _framesPerSecond;
    private Process? _ffmpeg;
    private string _input = "";
    private Queue<string> _pictures = new();
    private CancellationTokenSource? _stop;
    private SemaphoreSlim? _credit;
    private int _held; // read permits kept back while the pipeline has no credit
    private int _generation;

    public VideoCapture(JsonConfig config, IActorRef pipeline, SourceAccess access)
        : base(config, pipeline)
    {
        _access = access;
        _url = Config.String("URL")!;
        _width = Config.Integer("WIDTH", 320);
        _height = Config.Integer("HEIGHT", 240);
        _framesPerSecond = Config.Number(CapResolutionKey, 0);
        Receive<Decoded>(d => d.Generation == _generation, d =>
        {
            Emit(new FrameImage(_width, _height, d.Rgb), ImmutableDictionary<string, string>.Empty.Add("SOURCE", _url), DateTimeOffset.UtcNow);
            if (Blocked)
            {
                _held++; // the reader waits for credit
            }
            else
            {
                _credit?.Release();
            }
        });
        Receive<StreamEnded>(e => e.Generation == _generation, e =>
        {
            if (e.Error is { Length: > 0 } error)
            {
                Failed($"ffmpeg: {error.Replace(_input, _url, StringComparison.Ordinal)}"); // the tenant's name for it, not the node's path
            }
            else if (_pictures.TryDequeue(out var next))
            {
                StopFfmpeg();
                Start(VideoKind.Folder, next); // the folder's next picture
            }
            else
            {
                Ended($"video '{_url}'");
            }
        });
        Receive<Decoded>(_ => { });
        Receive<StreamEnded>(_ => { });
    }

    /// <summary>
    /// Files end; streams are expected to keep going, so they reconnect unless told otherwise. (Read by the base constructor,
    /// before this class's fields are set: from the config itself.)
    /// </summary>
    protected override ReconnectPolicy DefaultPolicy =>
        VideoInput.KindOf(Config.String("URL") ?? "", isFolder: false) == VideoKind.Stream ? ReconnectPolicy.Yes : ReconnectPolicy.No;

    public static void Validate(ConfigReader config, SourceAccess access)
    {
        var url = config.String("URL", required: true);
        config.Integer("WIDTH", 320, min: 8, max: MaxSide);
        config.Integer("HEIGHT", 240, min: 8, max: MaxSide);
        config.Number(CapResolutionKey, 0, min: 0, max: 240);
        var stream = url is not null && VideoInput.KindOf(url, isFolder: false) == VideoKind.Stream;
        ReadPolicy(config, stream ? ReconnectPolicy.Yes : ReconnectPolicy.No);
        if (url is null)
        {
            return;
        }

        if (stream)
        {
            if (url.StartsWith("rtsp://", StringComparison.OrdinalIgnoreCase))
            {
                config.Error("URL", "RTSP streams are not served yet (ffmpeg's RTSP client follows a server's redirects past the allow-list): " +
                                    "serve the camera over HTTP (MPEG-TS, Matroska, FLV or Motion JPEG)");
            }
            else if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Host.Length == 0 || url.Any(c => char.IsControl(c) || char.IsWhiteSpace(c)))
            {
                config.Error("URL", "must be a stream address such as http://camera/stream.ts");
            }
            else if (access.HttpTargets.Refusal("video stream", uri.Host, uri.Port) is { } refusal)
            {
                config.Error("URL", refusal);
            }

            return;
        }

        var (resolved, fileRefusal) = access.ResolveFile(url);
        if (fileRefusal is not null)
        {
            config.Error("URL", fileRefusal);
        }
        else if (resolved is not null && !File.Exists(resolved) && !Directory.Exists(resolved))
        {
            config.Error("URL", $"'{url}' is neither a file nor a folder on this node");
        }
    }

    public static Props Props(JsonConfig config, IActorRef pipeline, SourceAccess access) =>
        Akka.Actor.Props.Create(() => new VideoCapture(config, pipeline, access));

    /// <summary>Checked again here (the spec may come from the journal, a link may have been swapped in); then ffmpeg starts.</summary>
    protected override void Open()
    {
        var (kind, inputs) = Resolve();
        _pictures = new Queue<string>(inputs.Skip(1));
        Start(kind, inputs[0]);
    }

    /// <summary>No credit, or the pictures in flight (about the window less the credit) fill the budget.</summary>
    private bool Blocked => Paused || (HighestCredit - Credit + ReadAhead) * FrameImage.BytesFor(_width, _height) > Math.Max(PictureBudget,
        (long)ReadAhead * 2 * FrameImage.BytesFor(_width, _height));

    protected override void Close()
    {
        _pictures.Clear();
        StopFfmpeg();
    }

    private void Start(VideoKind kind, string input)
    {
        var start = new ProcessStartInfo(Ffmpeg, VideoInput.Arguments(kind, input, _width, _height, _framesPerSecond))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = kind == VideoKind.Stream,
        };
        var path = Environment.GetEnvironmentVariable("PATH");
        start.Environment.Clear(); // none of the node's settings or secrets
        start.Environment["PATH"] = path;
        Process ffmpeg;
        try
        {
            ffmpeg = Process.Start(start) ?? throw new InvalidOperationException("ffmpeg did not start");
        }
        catch (System.ComponentModel.Win32Exception)
        {
            throw new InvalidOperationException("ffmpeg is not installed on this node (Debian: apt-get install ffmpeg)");
        }

        _ffmpeg = ffmpeg;
        _input = input;
        _stop = new CancellationTokenSource();
        _credit = new SemaphoreSlim(0);
        _held = ReadAhead;
        OnCredit();
        if (kind == VideoKind.Stream)
        {
            _ = FetchAsync(new Uri(input), _access.HttpTargets, ffmpeg.StandardInput.BaseStream, _stop.Token);
        }

        _ = ReadAsync(ffmpeg, FrameImage.BytesFor(_width, _height), _credit, _stop.Token, Self, ++_generation);
    }

    private void StopFfmpeg()
    {
        _generation++;
        _stop?.Cancel();
        if (_ffmpeg is { HasExited: false } running)
        {
            running.Kill(entireProcessTree: true);
        }

        _ffmpeg?.Dispose();
        _stop?.Dispose();
        _ffmpeg = null;
        _stop = null;
        _credit = null;
    }

    protected override void OnCredit()
    {
        if (_held > 0 && _credit is not null && !Blocked)
        {
            _credit.Release(_held);
            _held = 0;
        }
    }

    /// <summary>What ffmpeg reads: the stream's pinned address, the file, or each picture of the folder in name order.</summary>
    private (VideoKind Kind, IReadOnlyList<string> Inputs) Resolve()
    {
        var kind = VideoInput.KindOf(_url, isFolder: false);
        if (kind == VideoKind.Stream)
        {
            return (kind, [_url]); // fetched by the node (FetchAsync), each connection checked against the allow-list
        }

        var (path, refusal) = _access.ResolveFile(_url);
        if (refusal is not null)
        {
            throw new SourceRefusedException(refusal);
        }

        if (!Directory.Exists(path))
        {
            return (VideoKind.File, [path!]);
        }

        // Each picture is checked like the folder: a link inside it that leads out of the files root is refused.
        var pictures = new List<string>();
        foreach (var name in Directory.EnumerateFiles(path).Select(Path.GetFileName).Order(StringComparer.Ordinal))
        {
            if (VideoInput.ImageExtensions.Contains(Path.GetExtension(name!).ToLowerInvariant()))
            {
                var (picture, pictureRefusal) = _access.ResolveFile(Path.Combine(_url, name!));
                pictures.Add(picture ?? throw new SourceRefusedException(pictureRefusal!));
            }
        }

        if (pictures.Count == 0)
        {
            throw new InvalidDataException($"folder '{_url}' holds no pictures ({string.Join(", ", VideoInput.ImageExtensions)})");
        }

        return (VideoKind.Folder, pictures);
    }

    /// <summary>
    /// Fetches a stream into ffmpeg's input: connecting only to an address the allow-list lets through (resolved per
    /// connection), following no redirect, and ending when the server ends, fails, or sends nothing for <see cref="StreamIdle"/>.
    /// ffmpeg then ends, and <c>RECONNECTABLE</c> decides.
    /// </summary>
    private static async Task FetchAsync(Uri url, NetworkAllowList allowed, Stream input, CancellationToken stop)
    {
        try
        {
            using var handler = new SocketsHttpHandler
            {
                AllowAutoRedirect = false,
                UseProxy = false,
                ConnectCallback = async (context, token) =>
                {
                    var endpoint = await allowed.ResolveAsync("video stream", context.DnsEndPoint.Host, context.DnsEndPoint.Port, token);
                    var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                    try
                    {
                        await socket.ConnectAsync(endpoint, token);
                        return new NetworkStream(socket, ownsSocket: true);
                    }
                    catch
                    {
                        socket.Dispose();
                        throw;
                    }
                },
            };
            using var client = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
            using var response = await client.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, stop);
            if ((int)response.StatusCode is < 200 or > 299)
            {
                return; // ffmpeg sees an empty stream and fails; redirects are not followed
            }

            await using var body = await response.Content.ReadAsStreamAsync(stop);
            var buffer = new byte[64 * 1024];
            while (true)
            {
                using var idle = CancellationTokenSource.CreateLinkedTokenSource(stop);
                idle.CancelAfter(StreamIdle);
                var read = await body.ReadAsync(buffer, idle.Token);
                if (read == 0)
                {
                    break;
                }

                await input.WriteAsync(buffer.AsMemory(0, read), stop);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or HttpRequestException or SourceRefusedException or SocketException
                                      or InvalidOperationException)
        {
            // the stream ended or failed, or the source closed: ffmpeg's input ends below
        }
        finally
        {
            try
            {
                input.Close();
            }
            catch (IOException)
            {
                // ffmpeg has gone
            }
        }
    }

    /// <summary>Reads whole pictures from ffmpeg, one each time credit is given, until it ends or the source closes.</summary>
    private static async Task ReadAsync(Process ffmpeg, int frameBytes, SemaphoreSlim credit, CancellationToken stop, IActorRef self, int generation)
    {
        var errors = LastLinesAsync(ffmpeg.StandardError, stop);
        var output = ffmpeg.StandardOutput.BaseStream;
        try
        {
            while (true)
            {
                await credit.WaitAsync(stop);
                var frame = new byte[frameBytes];
                var read = await output.ReadAtLeastAsync(frame, frameBytes, throwOnEndOfStream: false, stop);
                if (read < frameBytes)
                {
                    break; // the end (a partial last picture is dropped)
                }

                self.Tell(new Decoded(ImmutableCollectionsMarshal.AsImmutableArray(frame), generation)); // the buffer, not a copy
            }

            await ffmpeg.WaitForExitAsync(stop);
            var error = await errors;
            self.Tell(new StreamEnded(ffmpeg.ExitCode == 0 ? null : error.Length > 0 ? error : $"exit code {ffmpeg.ExitCode}", generation));
        }
        catch (OperationCanceledException)
        {
            // closed by the actor
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or ObjectDisposedException)
        {
            self.Tell(new StreamEnded(e.Message, generation));
        }
    }

    /// <summary>ffmpeg's last three lines of error (it may print one per damaged packet for hours): what went wrong, short.</summary>
    private static async Task<string> LastLinesAsync(StreamReader errors, CancellationToken stop)
    {
        var last = new Queue<string>(3);
        try
        {
            while (await errors.ReadLineAsync(stop) is { } line)
            {
                if (line.Trim() is { Length: > 0 } text)
                {
                    if (last.Count == 3)
                    {
                        last.Dequeue();
                    }

                    last.Enqueue(text.Length <= 300 ? text : text[..300]);
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException)
        {
            // closed
        }

        return string.Join("; ", last);
    }

    /// <summary>A picture read from ffmpeg (from the source opened as <see cref="Generation"/>).</summary>
    private sealed record Decoded(ImmutableArray<byte> Rgb, int Generation);

    /// <summary>ffmpeg ended: at the end of its input (no error), or failing.</summary>
    private sealed record StreamEnded(string? Error, int Generation);
}
