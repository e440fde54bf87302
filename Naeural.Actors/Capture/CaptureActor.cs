using System.Collections.Immutable;
using Akka.Actor;
using Akka.Event;
using Naeural.Actors.Pipelines;

namespace Naeural.Actors.Capture;

/// <summary>
/// What every data source shares: frame numbering, credit-based back-pressure, and the <c>RECONNECTABLE</c> policy
/// on failure or end of stream (reconnect with exponential back-off from 0.5 s to 30 s, or close). A source implements
/// <see cref="Open"/>, <see cref="Close"/> and either produces on <see cref="Produce"/> ticks (pull sources) or calls
/// <see cref="Emit"/> from its own messages (push sources).
/// </summary>
public abstract class CaptureActor : ReceiveActor, IWithTimers
{
    public const string ReconnectableKey = "RECONNECTABLE";
    public const string CapResolutionKey = "CAP_RESOLUTION";

    private static readonly TimeSpan MinBackoff = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(30);

    private readonly IActorRef _pipeline;
    private long _nextIndex;
    private int _failures;
    private bool _open;

    protected CaptureActor(JsonConfig config, IActorRef pipeline)
    {
        Config = config.Reader();
        _pipeline = pipeline;
        Policy = ReadPolicy(Config, DefaultPolicy);
        Receive<CaptureDemand>(demand =>
        {
            var wasPaused = Paused;
            Credit += demand.Frames;
            HighestCredit = Math.Max(HighestCredit, Credit);
            if (wasPaused && !Paused)
            {
                OnResumed();
            }

            OnCredit();
        });
        Receive<CaptureCommand>(c => OnCommand(c.CommandJson));
        Receive<Reconnect>(_ => TryOpen());
    }

    public ITimerScheduler Timers { get; set; } = null!;

    protected ConfigReader Config { get; }

    protected ReconnectPolicy Policy { get; }

    /// <summary>How many more frames the pipeline is ready for (negative when a push source overshot).</summary>
    protected long Credit { get; private set; }

    protected bool Paused => Credit <= 0;

    /// <summary>The most credit the pipeline has given at once (its window): frames in flight are about this less <see cref="Credit"/>.</summary>
    protected long HighestCredit { get; private set; }

    protected ILoggingAdapter Log { get; } = Context.GetLogger();

    /// <summary>The policy when the spec names none.</summary>
    protected virtual ReconnectPolicy DefaultPolicy => ReconnectPolicy.Yes;

    public static ReconnectPolicy ReadPolicy(ConfigReader config, ReconnectPolicy fallback) =>
        config.Choice(ReconnectableKey, fallback switch
        {
            ReconnectPolicy.No => "NO",
            ReconnectPolicy.KeepAlive => "KEEPALIVE",
            _ => "YES",
        }, "YES", "NO", "KEEPALIVE") switch
        {
            "NO" => ReconnectPolicy.No,
            "KEEPALIVE" => ReconnectPolicy.KeepAlive,
            _ => ReconnectPolicy.Yes,
        };

    protected override void PreStart() => TryOpen();

    protected override void PostStop()
    {
        if (_open)
        {
            SafeClose();
        }
    }

    /// <summary>Connects to the source. Throw to report a failure (the policy decides what follows).</summary>
    protected abstract void Open();

    /// <summary>Releases the source.</summary>
    protected abstract void Close();

    protected virtual void OnPaused()
    {
    }

    protected virtual void OnResumed()
    {
    }

    /// <summary>The pipeline gave credit (called after <see cref="OnResumed"/>).</summary>
    protected virtual void OnCredit()
    {
    }

    protected virtual void OnCommand(string commandJson) =>
        Log.Info("Data source ignores pipeline command {Command}", commandJson);

    /// <summary>Hands frames to the pipeline, numbered in capture order.</summary>
    protected void Emit(IEnumerable<(ImmutableDictionary<string, double> Values, ImmutableDictionary<string, string> Meta)> frames, DateTimeOffset at) =>
        Send([.. frames.Select(f => new Frame(_nextIndex++, at, f.Values, f.Meta))]);

    /// <summary>Hands one decoded picture to the pipeline, numbered in capture order.</summary>
    protected void Emit(FrameImage image, ImmutableDictionary<string, string> meta, DateTimeOffset at) =>
        Send([new Frame(_nextIndex++, at, ImmutableDictionary<string, double>.Empty, meta, image)]);

    private void Send(ImmutableArray<Frame> batch)
    {
        if (batch.Length > 0)
        {
            _failures = 0;
            var wasPaused = Paused;
            Credit -= batch.Length;
            _pipeline.Tell(new FramesCaptured(batch));
            if (!wasPaused && Paused)
            {
                OnPaused();
            }
        }
    }

    /// <summary>The source failed: close it and reconnect or close for good, as the policy says.</summary>
    protected void Failed(string reason)
    {
        SafeClose();
        if (Policy == ReconnectPolicy.No)
        {
            Report(CaptureState.Closed, $"data source failed and RECONNECTABLE is NO: {reason}");
            return;
        }

        var backoff = TimeSpan.FromMilliseconds(Math.Min(MaxBackoff.TotalMilliseconds, MinBackoff.TotalMilliseconds * Math.Pow(2, _failures++)));
        Report(CaptureState.Reconnecting, $"data source failed, reconnecting in {backoff.TotalSeconds:0.#} s: {reason}");
        Timers.StartSingleTimer(Reconnect.Instance, Reconnect.Instance, backoff);
    }

    /// <summary>
    /// The source names something this node does not let tenants reach (<see cref="SourceRefusedException"/>): closed for
    /// good, whatever <c>RECONNECTABLE</c> says, since trying again would be refused again.
    /// </summary>
    protected void Refused(string reason)
    {
        SafeClose();
        Log.Warning("Data source refused: {Reason}", reason);
        Report(CaptureState.Closed, $"data source refused, capture closed: {reason}");
    }

    /// <summary>A finite stream ended: reopen it (YES), or close (NO). KEEPALIVE sources handle the end themselves.</summary>
    protected void Ended(string what)
    {
        SafeClose();
        if (Policy == ReconnectPolicy.No)
        {
            Report(CaptureState.Closed, $"{what} ended; RECONNECTABLE is NO, capture closed");
            return;
        }

        Report(CaptureState.Reconnecting, $"{what} ended; reopening");
        Timers.StartSingleTimer(Reconnect.Instance, Reconnect.Instance, MinBackoff);
    }

    /// <summary>True for sources whose <see cref="Open"/> only starts connecting; they call <see cref="Connected"/> themselves.</summary>
    protected virtual bool ConnectsAsynchronously => false;

    protected void Connected()
    {
        _failures = 0;
        Report(CaptureState.Connected, $"{GetType().Name} connected");
    }

    protected void Report(CaptureState state, string message) => _pipeline.Tell(new CaptureStateChanged(state, message));

    private void TryOpen()
    {
        try
        {
            Open();
            _open = true;
            if (!ConnectsAsynchronously)
            {
                Connected();
            }
        }
        catch (SourceRefusedException e)
        {
            Refused(e.Message);
        }
        catch (Exception e) when (e is not ActorKilledException)
        {
            Failed(e.Message);
        }
    }

    private void SafeClose()
    {
        _open = false;
        try
        {
            Close();
        }
        catch (Exception e)
        {
            Log.Warning(e, "Closing the data source failed");
        }
    }

    private sealed record Reconnect
    {
        public static Reconnect Instance { get; } = new();
    }
}
