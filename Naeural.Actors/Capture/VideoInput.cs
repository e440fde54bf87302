using System.Globalization;

namespace Naeural.Actors.Capture;

/// <summary>What a video source reads: a video file, a folder of images, or a live stream (HTTP).</summary>
public enum VideoKind
{
    File,
    Folder,
    Stream,
}

/// <summary>
/// How a <see cref="VideoCapture"/> runs ffmpeg for its <c>URL</c>: pure argument building, so what a tenant's spec can make
/// ffmpeg do is decided here, in one place. ffmpeg may use only the demuxers and protocols its kind needs
/// (<c>-format_whitelist</c>, <c>-protocol_whitelist</c>): a local file can't be a playlist that reaches the network or other
/// files (no <c>image2</c> patterns either), and a stream reaches ffmpeg on its standard input, fetched by the node itself
/// (ffmpeg would follow a server's redirects past the allow-list). Decoded pictures are bounded (<c>-max_pixels</c>). It
/// writes raw RGB24 frames of <c>WIDTH</c>×<c>HEIGHT</c> to its standard output, at <c>CAP_RESOLUTION</c> frames per second
/// where one is set (else at the input's own rate).
/// </summary>
public static class VideoInput
{
    /// <summary>The picture files a folder source reads, in name order.</summary>
    public static readonly string[] ImageExtensions = [".png", ".jpg", ".jpeg", ".bmp"];

    /// <summary>Demuxers of video files (MP4/MOV, Matroska/WebM, AVI, MPEG-TS, FLV, Motion JPEG) and single pictures.</summary>
    private const string FileFormats = "mov,mp4,m4a,3gp,3g2,mj2,matroska,webm,avi,mpegts,flv,mjpeg,mpjpeg,png_pipe,jpeg_pipe,bmp_pipe";

    /// <summary>The largest picture a decoder may make (a decoding bomb is refused, not allocated).</summary>
    private const string MaxPixels = "33554432";

    /// <summary>The kind a <c>URL</c> names: a stream by its scheme, else a file or folder path.</summary>
    public static VideoKind KindOf(string url, bool isFolder) =>
        url.StartsWith("rtsp://", StringComparison.OrdinalIgnoreCase) || url.StartsWith("http://", StringComparison.OrdinalIgnoreCase)
        || url.StartsWith("https://", StringComparison.OrdinalIgnoreCase)
            ? VideoKind.Stream
            : isFolder ? VideoKind.Folder : VideoKind.File;

    /// <summary>
    /// ffmpeg's arguments. <paramref name="input"/> is the file's real path (a folder's pictures are decoded one ffmpeg run each,
    /// as files: they may differ in format and size); a stream's bytes come on standard input.
    /// </summary>
    public static IReadOnlyList<string> Arguments(VideoKind kind, string input, int width, int height, double framesPerSecond)
    {
        var arguments = new List<string> { "-hide_banner", "-loglevel", "error", "-max_pixels", MaxPixels };
        if (kind == VideoKind.Stream)
        {
            // A stream container, never a playlist (HLS or DASH would fetch segments from anywhere).
            arguments.AddRange(["-protocol_whitelist", "pipe", "-format_whitelist", "mpegts,matroska,webm,mjpeg,mpjpeg,flv", "-i", "pipe:0"]);
        }
        else
        {
            arguments.AddRange(["-nostdin", "-protocol_whitelist", "file", "-format_whitelist", FileFormats, "-i", input]);
        }

        // At a set rate, frames are dropped or repeated to it; else each decoded frame (each picture of a folder) comes once.
        var filters = framesPerSecond > 0
            ? $"fps={framesPerSecond.ToString(CultureInfo.InvariantCulture)},scale={width}:{height}"
            : $"scale={width}:{height}";
        arguments.AddRange(["-an", "-sn", "-vf", filters]);
        if (framesPerSecond <= 0)
        {
            arguments.AddRange(["-fps_mode", "passthrough"]);
        }

        arguments.AddRange(["-f", "rawvideo", "-pix_fmt", "rgb24", "pipe:1"]);
        return arguments;
    }
}
