using System.Collections.Immutable;
using Akka.Actor;
using Akka.Event;
using Naeural.Actors.Pipelines;

namespace Naeural.Actors.Capture;

/// <summary>
/// <c>FileReplay</c>: replays a CSV file (header row first) or a JSON-lines file (<c>FORMAT</c>, or the file's extension)
/// from <c>URL</c> (a path inside the node's files root, <see cref="FilesRoot"/>: relative to it, or absolute inside it) at <c>CAP_RESOLUTION</c> frames per second (0: as fast as back-pressure allows).
/// At the end: <c>LOOP</c> starts over; otherwise <c>RECONNECTABLE</c> decides: NO closes, YES reopens and replays,
/// KEEPALIVE follows the file for new lines (like <c>tail -f</c>). Unparseable lines are skipped and counted.
/// </summary>
public sealed class FileReplayCapture : PullCaptureActor
{
    private static readonly TimeSpan FollowInterval = TimeSpan.FromMilliseconds(200);

    private readonly string _path;
    private readonly SourceAccess _access;
    private readonly bool _csv;
    private readonly bool _loop;
    private StreamReader? _reader;
    private IReadOnlyList<string>? _header;
    private long _skipped;
    private long _framesThisPass;

    public FileReplayCapture(JsonConfig config, IActorRef pipeline, SourceAccess access)
        : base(config, pipeline, defaultFramesPerSecond: 0)
    {
        _access = access;
        _path = Config.String("URL")!;
        _csv = IsCsv(Config, _path);
        _loop = Config.Boolean("LOOP", false);
    }

    protected override ReconnectPolicy DefaultPolicy => ReconnectPolicy.No;

    public static void Validate(ConfigReader config, SourceAccess access)
    {
        var path = config.String("URL", required: true);
        var (resolved, refusal) = path is null ? (null, null) : access.ResolveFile(path);
        config.Choice("FORMAT", "AUTO", "AUTO", "CSV", "JSONL");
        config.Boolean("LOOP", false);
        config.Number(CapResolutionKey, 0, min: 0, max: 1_000_000);
        ReadPolicy(config, ReconnectPolicy.No);
        if (refusal is not null)
        {
            config.Error("URL", refusal);
        }
        else if (resolved is not null && !File.Exists(resolved))
        {
            config.Error("URL", $"file '{path}' does not exist on this node");
        }
    }

    public static Props Props(JsonConfig config, IActorRef pipeline, SourceAccess access) =>
        Akka.Actor.Props.Create(() => new FileReplayCapture(config, pipeline, access));

    /// <summary>Checked again here (the spec may come from the journal, or a link may have been swapped in), and after the open.</summary>
    protected override void OpenSource()
    {
        var (resolved, refusal) = _access.ResolveFile(_path);
        if (refusal is not null)
        {
            throw new SourceRefusedException(refusal);
        }

        var stream = new FileStream(resolved!, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        try
        {
            _access.Files!.CheckOpened(stream.SafeFileHandle, _path);
        }
        catch
        {
            stream.Dispose();
            throw;
        }

        _reader = new StreamReader(stream);
        _header = _csv ? SplitCsv(_reader.ReadLine() ?? throw new InvalidDataException($"'{_path}' is empty: a CSV file needs a header row")) : null;
    }

    protected override void CloseSource()
    {
        _reader?.Dispose();
        _reader = null;
    }

    protected override (IReadOnlyList<(ImmutableDictionary<string, double> Values, ImmutableDictionary<string, string> Meta)> Frames, bool Exhausted) Read(int max)
    {
        var frames = new List<(ImmutableDictionary<string, double>, ImmutableDictionary<string, string>)>(max);
        while (frames.Count < max)
        {
            var line = _reader!.ReadLine();
            if (line is null)
            {
                _framesThisPass += frames.Count;
                return (frames, true);
            }

            if (line.Length == 0)
            {
                continue;
            }

            try
            {
                frames.AddRange(_csv ? [FrameParser.FromCsv(_header!, SplitCsv(line))] : FrameParser.FromJsonText(line));
            }
            catch (FormatException e)
            {
                if (_skipped++ % 1000 == 0)
                {
                    Log.Warning("Skipped unparseable line in {Path} ({Skipped} so far): {Reason}", _path, _skipped, e.Message);
                }
            }
        }

        _framesThisPass += frames.Count;
        return (frames, false);
    }

    protected override void OnExhausted()
    {
        if (_loop && _framesThisPass == 0)
        {
            Ended($"file '{_path}' (LOOP over a file without frames)");
        }
        else if (_loop)
        {
            _framesThisPass = 0;
            _reader!.BaseStream.Seek(0, SeekOrigin.Begin);
            _reader.DiscardBufferedData();
            if (_csv)
            {
                _reader.ReadLine();
            }

            Continue();
        }
        else if (Policy == ReconnectPolicy.KeepAlive)
        {
            ContinueLater(FollowInterval);
        }
        else
        {
            Ended($"file '{_path}'");
        }
    }

    private static bool IsCsv(ConfigReader config, string path) => config.Choice("FORMAT", "AUTO", "AUTO", "CSV", "JSONL") switch
    {
        "CSV" => true,
        "JSONL" => false,
        _ => path.EndsWith(".csv", StringComparison.OrdinalIgnoreCase),
    };

    private static string[] SplitCsv(string line) => line.Split(',').Select(c => c.Trim().Trim('"')).ToArray();
}
