using System.Collections.Immutable;
using Naeural.Actors.Serialization;

namespace Naeural.Actors.Capture;

/// <summary>
/// A picture of a frame, decoded: <see cref="Width"/> × <see cref="Height"/> pixels of 8-bit red, green and blue, row by row
/// from the top left (<see cref="Rgb"/>, three bytes a pixel). Image and video sources decode at the size the pipeline asks
/// for, so plugins and models see one layout whatever the camera or file.
/// </summary>
[WireName("capture.frame-image")]
public sealed record FrameImage(int Width, int Height, ImmutableArray<byte> Rgb)
{
    /// <summary>The bytes one picture of this size holds.</summary>
    public static int BytesFor(int width, int height) => checked(width * height * 3);

    /// <summary>The red, green and blue of the pixel at (<paramref name="x"/>, <paramref name="y"/>).</summary>
    public (byte R, byte G, byte B) Pixel(int x, int y)
    {
        var at = (y * Width + x) * 3;
        return (Rgb[at], Rgb[at + 1], Rgb[at + 2]);
    }
}
