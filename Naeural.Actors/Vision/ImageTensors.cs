using Naeural.Actors.Capture;

namespace Naeural.Actors.Vision;

/// <summary>A rectangle of a picture, in its pixels: left, top, width, height.</summary>
public readonly record struct PixelBox(int X, int Y, int Width, int Height);

/// <summary>
/// Pictures as model inputs: planar float tensors (channels, height, width) in blue, green, red order, the layout PaddleOCR's
/// models were trained on (OpenCV's). Resizing is bilinear, on pixel centres.
/// </summary>
public static class ImageTensors
{
    /// <summary>ImageNet's mean and spread of each channel, in blue, green, red order as PaddleOCR's detector applies them.</summary>
    public static readonly float[] DetectorMean = [0.485f, 0.456f, 0.406f];

    public static readonly float[] DetectorStd = [0.229f, 0.224f, 0.225f];

    private static readonly float[] LineGain = [2f / 255f, 2f / 255f, 2f / 255f];

    private static readonly float[] LineOffset = [-1f, -1f, -1f];

    /// <summary>
    /// <paramref name="image"/> scaled to fit <paramref name="height"/> × <paramref name="width"/> (its aspect kept, its top left at
    /// the origin) and normalised by <paramref name="mean"/> and <paramref name="std"/>; the rest of the tensor is zero. Returns the
    /// tensor and the scale (tensor pixels per picture pixel) that maps what a model finds back onto the picture.
    /// </summary>
    public static (float[] Tensor, double Scale) Fit(FrameImage image, int height, int width, float[] mean, float[] std)
    {
        var scale = Math.Min((double)height / image.Height, (double)width / image.Width);
        var (h, w) = (Math.Clamp((int)Math.Round(image.Height * scale), 1, height), Math.Clamp((int)Math.Round(image.Width * scale), 1, width));
        var tensor = new float[3 * height * width];
        Resample(image, new PixelBox(0, 0, image.Width, image.Height), tensor, height, width, h, w,
            [.. std.Select(s => 1f / (255f * s))], [.. mean.Select((m, c) => -m / std[c])]);
        return (tensor, scale);
    }

    /// <summary>
    /// The text line in <paramref name="box"/> as a recogniser's input: scaled to <paramref name="height"/> rows (its aspect kept,
    /// at most <paramref name="width"/> columns), each value mapped to [-1, 1], the columns right of it zero (PaddleOCR's
    /// <c>resize_norm_img</c>).
    /// </summary>
    public static float[] Line(FrameImage image, PixelBox box, int height, int width)
    {
        var columns = Math.Clamp((int)Math.Ceiling(height * (double)box.Width / box.Height), 1, width);
        var tensor = new float[3 * height * width];
        Resample(image, box, tensor, height, width, height, columns, LineGain, LineOffset);
        return tensor;
    }

    /// <summary>
    /// Bilinear resampling of <paramref name="box"/> into the top left <paramref name="h"/> × <paramref name="w"/> of a planar BGR
    /// tensor, each value <c>v</c> written as <c>v × gain[c] + offset[c]</c>.
    /// </summary>
    private static void Resample(FrameImage image, PixelBox box, float[] tensor, int height, int width, int h, int w, float[] gain, float[] offset)
    {
        var rgb = image.Rgb.AsSpan();
        var (sy, sx) = ((double)box.Height / h, (double)box.Width / w);
        var plane = height * width;
        for (var y = 0; y < h; y++)
        {
            var fy = Math.Clamp((y + 0.5) * sy - 0.5, 0, box.Height - 1);
            var y0 = (int)fy;
            var dy = (float)(fy - y0);
            var row0 = (box.Y + y0) * image.Width + box.X;
            var row1 = (box.Y + Math.Min(y0 + 1, box.Height - 1)) * image.Width + box.X;
            for (var x = 0; x < w; x++)
            {
                var fx = Math.Clamp((x + 0.5) * sx - 0.5, 0, box.Width - 1);
                var x0 = (int)fx;
                var x1 = Math.Min(x0 + 1, box.Width - 1);
                var dx = (float)(fx - x0);
                for (var c = 0; c < 3; c++)
                {
                    var channel = 2 - c; // blue, green, red planes from red, green, blue bytes
                    float a = rgb[(row0 + x0) * 3 + channel], b = rgb[(row0 + x1) * 3 + channel];
                    float d = rgb[(row1 + x0) * 3 + channel], e = rgb[(row1 + x1) * 3 + channel];
                    var top = a + (b - a) * dx;
                    var bottom = d + (e - d) * dx;
                    tensor[c * plane + y * width + x] = (top + (bottom - top) * dy) * gain[c] + offset[c];
                }
            }
        }
    }
}
