using System.Collections.Immutable;

namespace Naeural.Actors.Capture;

/// <summary>A capture actor hands its parent pipeline a batch of frames, in capture order.</summary>
public sealed record FramesCaptured(ImmutableArray<Frame> Frames);

/// <summary>The pipeline asks its capture to stop producing (its plugin instances' queues are full) …</summary>
public sealed record PauseCapture
{
    public static PauseCapture Instance { get; } = new();
}

/// <summary>… and to start again once they have drained.</summary>
public sealed record ResumeCapture
{
    public static ResumeCapture Instance { get; } = new();
}

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
