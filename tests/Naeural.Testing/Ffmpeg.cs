using System.Diagnostics;

namespace Naeural.Testing;

/// <summary>Debian's ffmpeg, for tests that render pictures and clips of known content.</summary>
public static class Ffmpeg
{
    /// <summary>Runs ffmpeg quietly with <paramref name="arguments"/>; returns what it wrote to its standard output (raw frames).</summary>
    public static async Task<byte[]> RunAsync(params string[] arguments)
    {
        using var ffmpeg = Process.Start(new ProcessStartInfo("ffmpeg", ["-hide_banner", "-loglevel", "error", "-y", .. arguments])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        using var output = new MemoryStream();
        var errors = ffmpeg.StandardError.ReadToEndAsync();
        await ffmpeg.StandardOutput.BaseStream.CopyToAsync(output);
        await ffmpeg.WaitForExitAsync();
        if (ffmpeg.ExitCode != 0)
        {
            throw new InvalidOperationException($"ffmpeg {string.Join(' ', arguments)} exited with {ffmpeg.ExitCode}: {await errors}");
        }

        return output.ToArray();
    }
}
