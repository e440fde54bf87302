using System.Collections.Immutable;

namespace Naeural.Actors.Capture;

/// <summary>A capture actor hands its parent pipeline a batch of frames, in capture order.</summary>
public sealed record FramesCaptured(ImmutableArray<Frame> Frames);

/// <summary>
/// Credit-based back-pressure: the pipeline lets its capture emit this many more frames. A pull source (synthetic,
/// file) produces no more than its credit; a push source (HTTP) refuses with 503 while it has none; a source that can't
/// be paused (MQTT) keeps emitting and the instances' bounded queues count what they drop.
/// </summary>
public sealed record CaptureDemand(long Frames);

/// <summary>A <c>PIPELINE_COMMAND</c> for the data source (its JSON text).</summary>
public sealed record CaptureCommand(string CommandJson);

/// <summary>The capture's state changed: connected, failed (and what follows), ended. Reported to the owner as a notification.</summary>
public sealed record CaptureStateChanged(CaptureState State, string Message);

public enum CaptureState
{
    Connected,
    Reconnecting,
    Closed,
}

/// <summary>The original's <c>RECONNECTABLE</c>: what a source does when its stream fails or ends.</summary>
public enum ReconnectPolicy
{
    /// <summary><c>NO</c>: the capture closes; the pipeline stays deployed with idle plugins.</summary>
    No,

    /// <summary><c>YES</c>: reconnect after a failure or the end of the stream, with back-off.</summary>
    Yes,

    /// <summary><c>KEEPALIVE</c>: like YES, and at the end of a finite stream keep waiting for more (a file is followed).</summary>
    KeepAlive,
}
