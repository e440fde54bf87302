using System.Collections.Immutable;
using Naeural.Actors.Capture;
using Naeural.Actors.Vision;
using Xunit;

namespace Naeural.Fast.Tests.Vision;

/// <summary>The pre- and post-processing of the OCR models, on pictures and maps whose answers are known.</summary>
public sealed class VisionMathTests
{
    [Fact]
    public void A_picture_is_fitted_with_its_aspect_kept_in_blue_green_red_planes_the_rest_zero()
    {
        // 4×2, all pure red, fitted into 8×8: scale min(8/2, 8/4) = 2, so it fills the top 4 rows of all 8 columns.
        var red = Picture(4, 2, (255, 0, 0));
        var (tensor, scale) = ImageTensors.Fit(red, height: 8, width: 8, [0f, 0f, 0f], [1f, 1f, 1f]);

        Assert.Equal(2, scale);
        var plane = 8 * 8;
        Assert.Equal(0f, tensor[0 * plane]); // blue
        Assert.Equal(0f, tensor[1 * plane]); // green
        Assert.Equal(1f, tensor[2 * plane]); // red, last
        Assert.Equal(1f, tensor[2 * plane + 3 * 8 + 7]); // row 3, column 7: inside
        Assert.Equal(0f, tensor[2 * plane + 4 * 8]); // row 4: below the picture
    }

    [Fact]
    public void A_line_is_scaled_to_the_recogniser_height_mapped_to_minus_one_to_one_and_padded_right()
    {
        var white = Picture(20, 10, (255, 255, 255));
        var line = ImageTensors.Line(white, new PixelBox(0, 0, 20, 10), height: 4, width: 16);

        // 20×10 at height 4 is 8 columns wide: values 1 there, 0 right of it.
        Assert.Equal(1f, line[3 * 16 + 7], 4);
        Assert.Equal(0f, line[3 * 16 + 8]);
        var black = ImageTensors.Line(Picture(4, 4, (0, 0, 0)), new PixelBox(0, 0, 4, 4), 4, 16);
        Assert.Equal(-1f, black[0]);
    }

    [Fact]
    public void Text_regions_are_grown_by_the_unclip_distance_mapped_back_and_read_in_rows_left_to_right()
    {
        // A 40×100 map at scale 0.5 of an 80×200 picture; three kernels: two on one row (right one first in memory), one below.
        var map = new float[40 * 100];
        Fill(map, 100, x: 60, y: 5, w: 30, h: 6, 0.9f);
        Fill(map, 100, x: 5, y: 6, w: 20, h: 6, 0.8f);
        Fill(map, 100, x: 10, y: 25, w: 50, h: 8, 0.95f);
        Fill(map, 100, x: 80, y: 30, w: 10, h: 5, 0.4f); // above the threshold, below the box threshold: dropped
        var regions = new TextDetection().Find(map, 40, 100, scale: 0.5, imageWidth: 200, imageHeight: 80);

        Assert.Equal(3, regions.Count);
        Assert.Equal([0.8f, 0.9f, 0.95f], regions.Select(r => r.Score).ToArray()); // left of row 1, right of row 1, row 2
        var first = regions[0];
        var grow = 20 * 6 * 1.5 / (2.0 * 26); // DB's unclip: area × ratio ÷ perimeter
        Assert.Equal(new PixelBox((int)Math.Floor((5 - grow) / 0.5), (int)Math.Floor((6 - grow) / 0.5),
            (int)Math.Ceiling((25 + grow) / 0.5) - (int)Math.Floor((5 - grow) / 0.5), (int)Math.Ceiling((12 + grow) / 0.5) - (int)Math.Floor((6 - grow) / 0.5)), first.Box);
        Assert.Equal(0.8f, first.Score, 4);
    }

    [Fact]
    public void A_region_is_scored_over_its_whole_box_as_DB_does_holes_included()
    {
        // A 10×10 ring, 2 wide, of 0.95 around a 6×6 hole: the box's mean is 0.95 × 64 ÷ 100.
        var map = new float[20 * 20];
        Fill(map, 20, x: 5, y: 5, w: 10, h: 10, 0.95f);
        Fill(map, 20, x: 7, y: 7, w: 6, h: 6, 0f);

        var region = Assert.Single(new TextDetection().Find(map, 20, 20, scale: 1, imageWidth: 20, imageHeight: 20));

        Assert.Equal(0.95f * 64 / 100, region.Score, 5);
    }

    [Fact]
    public void A_map_of_the_wrong_size_is_refused_and_one_of_nans_finds_no_text()
    {
        Assert.Throws<ArgumentException>(() => new TextDetection().Find(new float[10], 4, 4, 1, 4, 4));
        var nans = Enumerable.Repeat(float.NaN, 40 * 40).ToArray();
        Assert.Empty(new TextDetection().Find(nans, 40, 40, 1, 40, 40));
    }

    [Fact]
    public void Ctc_merges_repeats_drops_blanks_and_keeps_a_letter_repeated_across_a_blank()
    {
        string[] labels = ["<blank>", "A", "B", " "];
        // Steps: A A blank A B B space blank
        int[] best = [1, 1, 0, 1, 2, 2, 3, 0];
        var probabilities = best.SelectMany(b => Enumerable.Range(0, 4).Select(c => c == b ? 0.9f : 0.1f / 3)).ToArray();

        var (text, confidence) = CtcDecoding.Decode(probabilities, labels);

        Assert.Equal("AAB ", text);
        Assert.Equal(0.9f, confidence, 4);
        Assert.Throws<ArgumentException>(() => CtcDecoding.Decode(new float[7], labels));
    }

    private static void Fill(float[] map, int width, int x, int y, int w, int h, float value)
    {
        for (var row = y; row < y + h; row++)
        {
            Array.Fill(map, value, row * width + x, w);
        }
    }

    private static FrameImage Picture(int width, int height, (byte R, byte G, byte B) colour) =>
        new(width, height, [.. Enumerable.Range(0, width * height).SelectMany(_ => new[] { colour.R, colour.G, colour.B })]);
}
