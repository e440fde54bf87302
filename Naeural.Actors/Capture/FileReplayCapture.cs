using Akka.Actor;
using Akka.Event;
using Naeural.Actors.Pipelines;

namespace Naeural.Actors.Capture;

/// <summary>
/// <c>FileReplay</c>: replays a CSV file (header row first) or a JSON-lines file (<c>FORMAT</c>, or the file's extension)
/// from <c>URL</c> (a local path) at <c>CAP_RESOLUTION</c> frames per second (0: as fast as back-pressure allows).
/// At the end: <c>LOOP</c> starts over; otherwise <c>RECONNECTABLE</c> decides: NO closes, YES reopens and replays,
/// KEEPALIVE follows the file for new lines (like <c>tail -f</c>). Unparseable lines are skipped and counted.
/// </summary>
public sealed class FileReplayCapture : CaptureActor
{
    private const int UnthrottledBatch = 256;
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(10);
    private static readonly TimeSpan FollowInterval = TimeSpan.FromMilliseconds(200);

    private readonly string _path;
    private readonly bool _csv;
    private readonly bool _loop;
    private readonly double _framesPerSecond;
    private StreamReader? _reader;
    private IReadOnlyList<string>? _header;
    private double _owed;
    private DateTimeOffset _lastTick;
    private long _skipped;

    public FileReplayCapture(JsonConfig config, IActorRef pipeline)
        : base(config, pipeline)
    {
        _path = Config.String("URL")!;
        _csv = IsCsv(Config, _path);
        _loop = Config.Boolean("LOOP", false);
        _framesPerSecond = Config.Number(CapResolutionKey, 0);
        Receive<Produce>(_ => ProduceDue());
    }

    protected override ReconnectPolicy DefaultPolicy => ReconnectPolicy.No;

    public static void Validate(ConfigReader config)
    {
        var path = config.String("URL", required: true);
        config.Choice("FORMAT", "AUTO", "AUTO", "CSV", "JSONL");
        config.Boolean("LOOP", false);
        config.Number(CapResolutionKey, 0, min: 0, max: 1_000_000);
        ReadPolicy(config, ReconnectPolicy.No);
        if (path is not null && !File.Exists(path))
        {
            config.Error("URL", $"file '{path}' does not exist on this node");
        }
    }

    public static Props Props(JsonConfig config, IActorRef pipeline) =>
        Akka.Actor.Props.Create(() => new FileReplayCapture(config, pipeline));

    protected override void Open()
    {
        _reader = new StreamReader(new FileStream(_path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite));
        _header = _csv ? SplitCsv(_reader.ReadLine() ?? throw new InvalidDataException($"'{_path}' is empty: a CSV file needs a header row")) : null;
        _lastTick = DateTimeOffset.UtcNow;
        if (_framesPerSecond > 0)
        {
            Timers.StartPeriodicTimer(Produce.Instance, Produce.Instance, Tick);
        }
        else
        {
            Self.Tell(Produce.Instance);
        }
    }

    protected override void Close()
    {
        Timers.Cancel(Produce.Instance);
        _reader?.Dispose();
        _reader = null;
    }

    protected override void OnResumed()
    {
        _lastTick = DateTimeOffset.UtcNow;
        if (_framesPerSecond <= 0 && _reader is not null)
        {
            Self.Tell(Produce.Instance);
        }
    }

    private void ProduceDue()
    {
        if (Paused || _reader is null)
        {
            return;
        }

        var now = DateTimeOffset.UtcNow;
        int due;
        if (_framesPerSecond > 0)
        {
            _owed = Math.Min(_owed + ((now - _lastTick).TotalSeconds * _framesPerSecond), Math.Max(1, _framesPerSecond));
            due = (int)Math.Min(_owed, Credit);
            _owed -= due;
        }
        else
        {
            due = (int)Math.Min(UnthrottledBatch, Credit);
        }

        _lastTick = now;
        var frames = new List<(System.Collections.Immutable.ImmutableDictionary<string, double>, System.Collections.Immutable.ImmutableDictionary<string, string>)>(due);
        var atEnd = false;
        while (frames.Count < due)
        {
            var line = _reader.ReadLine();
            if (line is null)
            {
                atEnd = true;
                break;
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
                    Log.Warning("Skipped unparseable line in {0} ({1} so far): {2}", _path, _skipped, e.Message);
                }
            }
        }

        Emit(frames, now);
        if (atEnd)
        {
            AtEnd();
        }
        else if (_framesPerSecond <= 0 && !Paused)
        {
            Self.Tell(Produce.Instance);
        }
    }

    private void AtEnd()
    {
        if (_loop)
        {
            _reader!.BaseStream.Seek(0, SeekOrigin.Begin);
            _reader.DiscardBufferedData();
            if (_csv)
            {
                _reader.ReadLine();
            }

            if (_framesPerSecond <= 0)
            {
                Self.Tell(Produce.Instance);
            }
        }
        else if (Policy == ReconnectPolicy.KeepAlive)
        {
            if (_framesPerSecond <= 0)
            {
                Timers.StartSingleTimer(Produce.Instance, Produce.Instance, FollowInterval);
            }
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

    private sealed record Produce
    {
        public static Produce Instance { get; } = new();
    }
}
