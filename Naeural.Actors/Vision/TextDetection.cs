namespace Naeural.Actors.Vision;

/// <summary>A line of text a detector found: where, and how sure it is (the mean text probability inside the box).</summary>
public sealed record TextRegion(PixelBox Box, float Score);

/// <summary>
/// The post-processing of a DB (differentiable binarisation) text detector such as PP-OCR's: its probability map is thresholded,
/// each connected region is a candidate line, kept where its mean probability reaches <see cref="BoxThreshold"/>, grown by
/// DB's unclip distance (area × ratio ÷ perimeter: the model predicts shrunk text kernels) and mapped back onto the picture.
/// Boxes are upright rectangles (rotated text is out of scope), ordered top to bottom, then left to right.
/// </summary>
public sealed record TextDetection(float Threshold = 0.3f, float BoxThreshold = 0.6f, double UnclipRatio = 1.5, int MinSide = 3, int MaxRegions = 32)
{
    /// <summary>
    /// The text regions of a <paramref name="mapHeight"/> × <paramref name="mapWidth"/> probability map computed on a picture
    /// fitted by <see cref="ImageTensors.Fit"/> at <paramref name="scale"/>, in the pixels of that
    /// <paramref name="imageWidth"/> × <paramref name="imageHeight"/> picture.
    /// </summary>
    public IReadOnlyList<TextRegion> Find(ReadOnlySpan<float> map, int mapHeight, int mapWidth, double scale, int imageWidth, int imageHeight)
    {
        if (map.Length != mapHeight * mapWidth)
        {
            throw new ArgumentException($"a {mapHeight}×{mapWidth} map has {mapHeight * mapWidth} values, not {map.Length}", nameof(map));
        }

        var seen = new bool[map.Length];
        var stack = new Stack<int>();
        var regions = new List<TextRegion>();
        double[]? integral = null; // the map's summed-area table: each region's box scored in constant time, however many nest
        for (var start = 0; start < map.Length; start++)
        {
            if (seen[start] || !(map[start] > Threshold)) // NaN is not text
            {
                continue;
            }

            // One 4-connected region of the binarised map: its bounding rectangle.
            var (left, top, right, bottom) = (int.MaxValue, int.MaxValue, -1, -1);
            seen[start] = true;
            stack.Push(start);
            while (stack.TryPop(out var at))
            {
                var (y, x) = Math.DivRem(at, mapWidth);
                (left, top, right, bottom) = (Math.Min(left, x), Math.Min(top, y), Math.Max(right, x), Math.Max(bottom, y));
                Visit(map, seen, stack, x > 0 ? at - 1 : -1);
                Visit(map, seen, stack, x < mapWidth - 1 ? at + 1 : -1);
                Visit(map, seen, stack, y > 0 ? at - mapWidth : -1);
                Visit(map, seen, stack, y < mapHeight - 1 ? at + mapWidth : -1);
            }

            var (width, height) = (right - left + 1, bottom - top + 1);
            if (Math.Min(width, height) < MinSide)
            {
                continue;
            }

            integral ??= Integral(map, mapHeight, mapWidth);
            var score = Mean(integral, mapWidth, left, top, width, height);
            if (!(score >= BoxThreshold))
            {
                continue;
            }

            var grow = width * height * UnclipRatio / (2.0 * (width + height));
            var box = OnPicture(left - grow, top - grow, right + 1 + grow, bottom + 1 + grow, scale, imageWidth, imageHeight);
            if (Math.Min(box.Width, box.Height) >= MinSide + 2)
            {
                regions.Add(new TextRegion(box, score));
            }
        }

        return ReadingOrder([.. regions.OrderByDescending(r => r.Score).Take(MaxRegions)]);
    }

    /// <summary>Rows top to bottom (a region whose middle is within half a row's height of the row's first is on that row), each left to right.</summary>
    private static List<TextRegion> ReadingOrder(List<TextRegion> regions)
    {
        static double Middle(TextRegion r) => r.Box.Y + r.Box.Height / 2.0;
        var ordered = new List<TextRegion>(regions.Count);
        var rest = regions.OrderBy(Middle).ToList();
        while (rest.Count > 0)
        {
            var first = rest[0];
            var row = rest.Where(r => Math.Abs(Middle(r) - Middle(first)) <= first.Box.Height / 2.0).ToList();
            ordered.AddRange(row.OrderBy(r => r.Box.X));
            rest.RemoveAll(row.Contains);
        }

        return ordered;
    }

    private void Visit(ReadOnlySpan<float> map, bool[] seen, Stack<int> stack, int at)
    {
        if (at >= 0 && !seen[at] && map[at] > Threshold)
        {
            seen[at] = true;
            stack.Push(at);
        }
    }

    /// <summary>The summed-area table of <paramref name="map"/>: entry (y, x) of a (height+1) × (width+1) table is the sum above and left of it (NaN counts as 0).</summary>
    private static double[] Integral(ReadOnlySpan<float> map, int height, int width)
    {
        var table = new double[(height + 1) * (width + 1)];
        for (var y = 0; y < height; y++)
        {
            var row = 0.0;
            for (var x = 0; x < width; x++)
            {
                var p = map[y * width + x];
                row += float.IsNaN(p) ? 0 : p;
                table[(y + 1) * (width + 1) + x + 1] = table[y * (width + 1) + x + 1] + row;
            }
        }

        return table;
    }

    /// <summary>The mean of the map over a box (DB's box score, over the box rather than the region's own pixels).</summary>
    private static float Mean(double[] integral, int mapWidth, int left, int top, int width, int height)
    {
        var stride = mapWidth + 1;
        var (x0, y0, x1, y1) = (left, top, left + width, top + height);
        var sum = integral[y1 * stride + x1] - integral[y0 * stride + x1] - integral[y1 * stride + x0] + integral[y0 * stride + x0];
        return (float)(sum / (width * height));
    }

    private static PixelBox OnPicture(double left, double top, double right, double bottom, double scale, int imageWidth, int imageHeight)
    {
        var x0 = Math.Clamp((int)Math.Floor(left / scale), 0, imageWidth - 1);
        var y0 = Math.Clamp((int)Math.Floor(top / scale), 0, imageHeight - 1);
        var x1 = Math.Clamp((int)Math.Ceiling(right / scale), x0 + 1, imageWidth);
        var y1 = Math.Clamp((int)Math.Ceiling(bottom / scale), y0 + 1, imageHeight);
        return new PixelBox(x0, y0, x1 - x0, y1 - y0);
    }
}
