using System.Diagnostics;
using System.Text.Json.Nodes;
using Akka.Actor;
using Naeural.Actors.Capture;
using Naeural.Actors.Pipelines;

namespace Naeural.Benchmarks.Video;

/// <summary>
/// Frames decoded per second: the <c>Video</c> source (ffmpeg → pictures → the pipeline actor, back-pressured by credit)
/// against ffmpeg alone with the same arguments (its raw output read and dropped), in one run, on a rendered clip
/// (640×480, 30 frames a second, H.264) decoded at 320×240. Each is run <c>--rounds</c> times; the best of each is compared.
/// </summary>
public static class VideoScenario
{
    public static async Task RunAsync(string[] options)
    {
        int Option(string name, int fallback) =>
            options.SkipWhile(a => a != name).Skip(1).FirstOrDefault() is { } value ? int.Parse(value, System.Globalization.CultureInfo.InvariantCulture) : fallback;
        var (frames, rounds) = (Option("--frames", 600), Option("--rounds", 3));
        var folder = Directory.CreateTempSubdirectory("naeural-video-bench-").FullName;
        try
        {
            var clip = Path.Combine(folder, "clip.mp4");
            await RunFfmpegAsync(["-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi", "-i", $"testsrc2=s=640x480:r=30:d={frames / 30.0}",
                "-pix_fmt", "yuv420p", "-c:v", "libx264", "-preset", "veryfast", clip]);
            var arguments = VideoInput.Arguments(VideoKind.File, clip, 320, 240, 0);
            double bestAlone = 0, bestSource = 0;
            for (var round = 1; round <= rounds; round++)
            {
                var alone = await FfmpegAloneAsync(arguments, FrameImage.BytesFor(320, 240));
                var source = await ThroughSourceAsync(folder, clip);
                Console.WriteLine($"round {round}: ffmpeg alone {alone.Frames} frames at {alone.PerSecond:F0}/s; Video source {source.Frames} frames at {source.PerSecond:F0}/s");
                bestAlone = Math.Max(bestAlone, alone.PerSecond);
                bestSource = Math.Max(bestSource, source.PerSecond);
            }

            Console.WriteLine($"best: ffmpeg alone {bestAlone:F0} frames/s; Video source {bestSource:F0} frames/s; ratio {bestSource / bestAlone:F2} (1.00: no cost)");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static async Task<(long Frames, double PerSecond)> FfmpegAloneAsync(IReadOnlyList<string> arguments, int frameBytes)
    {
        var clock = Stopwatch.StartNew();
        using var ffmpeg = Process.Start(new ProcessStartInfo(VideoCapture.Ffmpeg, arguments) { RedirectStandardOutput = true })!;
        var buffer = new byte[frameBytes];
        long frames = 0;
        while (await ffmpeg.StandardOutput.BaseStream.ReadAtLeastAsync(buffer, frameBytes, throwOnEndOfStream: false) == frameBytes)
        {
            frames++;
        }

        await ffmpeg.WaitForExitAsync();
        return (frames, frames / clock.Elapsed.TotalSeconds);
    }

    private static async Task<(long Frames, double PerSecond)> ThroughSourceAsync(string folder, string clip)
    {
        using var system = ActorSystem.Create("video-bench", "akka.loglevel = WARNING");
        var done = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        var clock = Stopwatch.StartNew();
        var sink = system.ActorOf(Props.Create(() => new FrameSink(done)));
        var access = SourceAccess.None with { Files = new FilesRoot(folder) };
        var config = JsonConfig.From(new JsonObject { ["URL"] = clip, ["WIDTH"] = 320, ["HEIGHT"] = 240, ["RECONNECTABLE"] = "NO" });
        sink.Tell(new FrameSink.Source(system.ActorOf(VideoCapture.Props(config, sink, access))));
        var frames = await done.Task;
        var elapsed = clock.Elapsed;
        await system.Terminate();
        return (frames, frames / elapsed.TotalSeconds);
    }

    private static async Task RunFfmpegAsync(string[] arguments)
    {
        using var ffmpeg = Process.Start(new ProcessStartInfo(VideoCapture.Ffmpeg, arguments) { RedirectStandardError = true })!;
        var errors = await ffmpeg.StandardError.ReadToEndAsync();
        await ffmpeg.WaitForExitAsync();
        if (ffmpeg.ExitCode != 0)
        {
            throw new InvalidOperationException($"ffmpeg could not render the clip: {errors}");
        }
    }

    /// <summary>Plays the pipeline: grants the source the same credit window a pipeline does, counts frames until the capture closes.</summary>
    private sealed class FrameSink : ReceiveActor
    {
        private const int Window = 512;
        private long _frames;

        public FrameSink(TaskCompletionSource<long> done)
        {
            Receive<Source>(s => s.Capture.Tell(new CaptureDemand(Window)));
            Receive<FramesCaptured>(f =>
            {
                _frames += f.Frames.Length;
                Sender.Tell(new CaptureDemand(f.Frames.Length));
            });
            Receive<CaptureStateChanged>(c =>
            {
                if (c.State == CaptureState.Closed)
                {
                    done.TrySetResult(_frames);
                }
            });
        }

        public sealed record Source(IActorRef Capture);
    }
}
