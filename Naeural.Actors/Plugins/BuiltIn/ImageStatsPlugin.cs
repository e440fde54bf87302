using System.Text.Json.Nodes;
using Naeural.Actors.Capture;
using Naeural.Actors.Pipelines;

namespace Naeural.Actors.Plugins.BuiltIn;

/// <summary>
/// <c>IMAGE_STATS</c>: what a camera sees, in numbers: every <c>EMIT_EVERY</c>-th picture's mean red, green and blue, its
/// brightness (mean luma, ITU-R BT.601), the dominant channel, and <c>IS_DARK</c> when the brightness falls below
/// <c>DARK_BELOW</c> (a covered lens, lights out). Frames without a picture are skipped.
/// </summary>
public sealed class ImageStatsPlugin : IBusinessPlugin, IPluginDefinition
{
    private long _seen;

    public static string Signature => "IMAGE_STATS";

    public static string Description => "Mean colour, brightness and darkness of each picture (image and video sources)";

    public static void Validate(ConfigReader config)
    {
        config.Integer("EMIT_EVERY", 1, min: 1, max: 1_000_000);
        config.Number("DARK_BELOW", 20, min: 0, max: 255);
    }

    public void Process(IReadOnlyList<Frame> frames, PluginContext context)
    {
        var every = context.Config.Integer("EMIT_EVERY", 1);
        var darkBelow = context.Config.Number("DARK_BELOW", 20);
        foreach (var frame in frames)
        {
            if (frame.Image is not { } image || _seen++ % every != 0)
            {
                continue;
            }

            var (r, g, b) = Means(image);
            var brightness = 0.299 * r + 0.587 * g + 0.114 * b;
            context.Emit(new JsonObject
            {
                ["MEAN_R"] = Math.Round(r, 2),
                ["MEAN_G"] = Math.Round(g, 2),
                ["MEAN_B"] = Math.Round(b, 2),
                ["BRIGHTNESS"] = Math.Round(brightness, 2),
                ["DOMINANT"] = r >= g && r >= b ? "RED" : g >= b ? "GREEN" : "BLUE",
                ["IS_DARK"] = brightness < darkBelow,
                ["WIDTH"] = image.Width,
                ["HEIGHT"] = image.Height,
                ["FRAME_INDEX"] = frame.Index,
                ["FRAME_TIME"] = frame.At.ToUnixTimeMilliseconds(),
            });
        }
    }

    private static (double R, double G, double B) Means(FrameImage image)
    {
        long r = 0, g = 0, b = 0;
        var pixels = image.Rgb.AsSpan();
        for (var i = 0; i + 2 < pixels.Length; i += 3)
        {
            r += pixels[i];
            g += pixels[i + 1];
            b += pixels[i + 2];
        }

        var count = Math.Max(1, pixels.Length / 3);
        return ((double)r / count, (double)g / count, (double)b / count);
    }
}
