using System.Collections.Immutable;
using Akka.Actor;
using Naeural.Actors.Pipelines;

namespace Naeural.Actors.Capture;

/// <summary>
/// A source that produces on demand (synthetic sensor, file replay): paced at <c>CAP_RESOLUTION</c> frames per second on a
/// 10 ms tick, or, at 0, in batches as fast as its credit allows; never beyond its credit. Frames owed beyond one second's
/// worth are not made up later, so a slow pipeline sees a real-time source at a lower rate rather than in bursts.
/// </summary>
public abstract class PullCaptureActor : CaptureActor
{
    private const int UnthrottledBatch = 256;
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(10);

    private readonly double _framesPerSecond;
    private bool _isOpen;
    private double _owed;
    private DateTimeOffset _lastTick;

    protected PullCaptureActor(JsonConfig config, IActorRef pipeline, double defaultFramesPerSecond)
        : base(config, pipeline)
    {
        _framesPerSecond = Config.Number(CapResolutionKey, defaultFramesPerSecond);
        Receive<Produce>(_ => ProduceDue());
    }

    private bool Unthrottled => _framesPerSecond <= 0;

    protected sealed override void Open()
    {
        OpenSource();
        _isOpen = true;
        _lastTick = DateTimeOffset.UtcNow;
        if (!Unthrottled)
        {
            Timers.StartPeriodicTimer(Produce.Instance, Produce.Instance, Tick);
        }

        Continue(); // unthrottled: starts now if there is credit, else when credit arrives (OnResumed)
    }

    protected sealed override void Close()
    {
        _isOpen = false;
        Timers.Cancel(Produce.Instance);
        CloseSource();
    }

    /// <summary>The stream is complete: stop producing (and polling) until the source is opened again.</summary>
    protected void StopProducing()
    {
        _isOpen = false;
        Timers.Cancel(Produce.Instance);
    }

    protected sealed override void OnResumed()
    {
        _lastTick = DateTimeOffset.UtcNow;
        Continue();
    }

    protected abstract void OpenSource();

    protected abstract void CloseSource();

    /// <summary>Up to <paramref name="max"/> frames, and whether the stream has nothing more for now.</summary>
    protected abstract (IReadOnlyList<(ImmutableDictionary<string, double> Values, ImmutableDictionary<string, string> Meta)> Frames, bool Exhausted) Read(int max);

    /// <summary>The stream had nothing more: rewind, follow (<see cref="ContinueLater"/>), or end (<see cref="CaptureActor.Ended"/>).</summary>
    protected abstract void OnExhausted();

    /// <summary>Produce again as soon as credit allows (throttled sources just wait for their next tick).</summary>
    protected void Continue()
    {
        if (Unthrottled && !Paused && _isOpen)
        {
            Self.Tell(Produce.Instance);
        }
    }

    /// <summary>Look again after <paramref name="delay"/> (throttled sources just wait for their next tick).</summary>
    protected void ContinueLater(TimeSpan delay)
    {
        if (Unthrottled)
        {
            Timers.StartSingleTimer(Produce.Instance, Produce.Instance, delay);
        }
    }

    private void ProduceDue()
    {
        if (Paused || !_isOpen)
        {
            return;
        }

        var now = DateTimeOffset.UtcNow;
        int due;
        if (Unthrottled)
        {
            due = (int)Math.Min(UnthrottledBatch, Credit);
        }
        else
        {
            _owed = Math.Min(_owed + ((now - _lastTick).TotalSeconds * _framesPerSecond), Math.Max(1, _framesPerSecond));
            due = (int)Math.Min(_owed, Credit);
            _owed -= due;
        }

        _lastTick = now;
        var (frames, exhausted) = Read(due);
        Emit(frames, now);
        if (exhausted)
        {
            OnExhausted();
        }
        else if (Unthrottled)
        {
            Continue();
        }
    }

    private sealed record Produce
    {
        public static Produce Instance { get; } = new();
    }
}
