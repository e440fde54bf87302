using System.Globalization;
using System.Text.Json.Nodes;
using Naeural.Actors.Capture;
using Naeural.Actors.Pipelines;
using Naeural.Actors.Vision;

namespace Naeural.Actors.Plugins.BuiltIn;

/// <summary>
/// <c>OCR_TEXT</c>: reads the text in a video's pictures with a served two-stage OCR model (PaddleOCR's PP-OCRv4, installed by
/// <c>scripts/fetch-ocr-models.sh</c>). Each picture is fitted into the detector's input (<c>DET_MODEL</c>, <c>DET_HEIGHT</c> ×
/// <c>DET_WIDTH</c>); each line it finds (at most <c>MAX_LINES</c>) is cut from the picture at full resolution and read by the
/// recogniser (<c>REC_MODEL</c>, <c>REC_HEIGHT</c> × <c>REC_WIDTH</c>, decoded with its labels file). Both run on the node's model
/// servers, batched with every other pipeline's pictures and lines. Lines read with less than <c>MIN_CONFIDENCE</c> are dropped.
/// A payload goes out when the text read changes (every picture with <c>EMIT</c> = <c>ALL</c>), in picture order; it names the
/// <c>WATCH</c> words (comma-separated, case-insensitive) it contains and raises <c>IS_ALERT</c> on them. At most
/// <c>MAX_PICTURES_IN_FLIGHT</c> pictures are being read at once; later ones are skipped and counted (<c>PICTURES_SKIPPED</c>).
/// </summary>
public sealed class OcrTextPlugin : IBusinessPlugin, IPluginDefinition
{
    private readonly SortedDictionary<long, Reading> _reading = [];
    private TextDetection _detection = new();
    private long _next;
    private long _skipped;
    private string? _lastText;

    public static string Signature => "OCR_TEXT";

    public static string Description => "Reads the text in pictures with a served OCR model (detector + recogniser) and alerts on watched words";

    public static void Validate(ConfigReader config)
    {
        config.String("DET_MODEL");
        config.String("REC_MODEL");
        foreach (var (key, fallback) in new[] { ("DET_HEIGHT", 480), ("DET_WIDTH", 640) })
        {
            if (config.Integer(key, fallback, min: 32, max: 4096) % 32 != 0)
            {
                config.Error(key, "must be a multiple of 32 (the detector halves it five times)");
            }
        }

        config.Integer("REC_HEIGHT", 48, min: 8, max: 256);
        config.Integer("REC_WIDTH", 320, min: 8, max: 4096);
        config.Number("MIN_CONFIDENCE", 0.5, min: 0, max: 1);
        config.Number("DET_THRESHOLD", 0.3, min: 0.01, max: 0.99);
        config.Number("BOX_THRESHOLD", 0.6, min: 0.01, max: 0.99);
        config.Integer("MAX_LINES", 16, min: 1, max: 64);
        config.Integer("MAX_PICTURES_IN_FLIGHT", 4, min: 1, max: 16);
        if (config.String("EMIT", "CHANGES") is not ("CHANGES" or "ALL"))
        {
            config.Error("EMIT", "must be CHANGES or ALL");
        }

        if (config.String("WATCH") is { Length: > 1024 })
        {
            config.Error("WATCH", "must be at most 1024 characters");
        }
    }

    public void Init(PluginContext context) => OnConfigChanged(context);

    public void OnConfigChanged(PluginContext context) => _detection = new TextDetection(
        (float)context.Config.Number("DET_THRESHOLD", 0.3), (float)context.Config.Number("BOX_THRESHOLD", 0.6),
        MaxRegions: context.Config.Integer("MAX_LINES", 16));

    public void Process(IReadOnlyList<Frame> frames, PluginContext context)
    {
        var config = context.Config;
        var (height, width) = (config.Integer("DET_HEIGHT", 480), config.Integer("DET_WIDTH", 640));
        foreach (var frame in frames)
        {
            if (frame.Image is not { } image)
            {
                continue;
            }

            if (_reading.Count >= config.Integer("MAX_PICTURES_IN_FLIGHT", 4))
            {
                _skipped++;
                continue;
            }

            var (tensor, scale) = ImageTensors.Fit(image, height, width, ImageTensors.DetectorMean, ImageTensors.DetectorStd);
            var id = _next++;
            _reading[id] = new Reading(frame, scale);
            context.Infer(DetectorOf(context), tensor, Tag(id, line: -1));
        }
    }

    public void OnInferenceResult(string tag, float[] output, PluginContext context)
    {
        var (id, line) = Untag(tag);
        if (!_reading.TryGetValue(id, out var reading))
        {
            return;
        }

        if (line < 0)
        {
            Detected(reading, id, output, context);
        }
        else if (context.LabelsOf(RecogniserOf(context)) is not { } labels)
        {
            reading.Fail($"model '{RecogniserOf(context)}' has no labels on this node ({RecogniserOf(context)}.labels.txt in its models folder)");
        }
        else if (output.Length % labels.Count != 0)
        {
            reading.Fail($"model '{RecogniserOf(context)}' gave {output.Length} values, not whole steps of its {labels.Count} labels");
        }
        else
        {
            var (text, confidence) = CtcDecoding.Decode(output, labels);
            reading.Read(line, text.Trim(), confidence);
        }

        EmitFinished(context);
    }

    public void OnInferenceFailed(string tag, string reason, PluginContext context)
    {
        var (id, _) = Untag(tag);
        if (_reading.TryGetValue(id, out var reading))
        {
            reading.Fail(reason);
        }

        EmitFinished(context);
    }

    private void Detected(Reading reading, long id, float[] map, PluginContext context)
    {
        var config = context.Config;
        var (height, width) = (config.Integer("DET_HEIGHT", 480), config.Integer("DET_WIDTH", 640));
        var image = reading.Frame.Image!;
        if (map.Length != height * width)
        {
            reading.Fail($"model '{DetectorOf(context)}' gave {map.Length} values, not a {height}×{width} map (DET_HEIGHT, DET_WIDTH)");
            return;
        }

        var regions = _detection.Find(map, height, width, reading.Scale, image.Width, image.Height);
        reading.Expect(regions);
        var (lineHeight, lineWidth) = (config.Integer("REC_HEIGHT", 48), config.Integer("REC_WIDTH", 320));
        for (var i = 0; i < regions.Count; i++)
        {
            context.Infer(RecogniserOf(context), ImageTensors.Line(image, regions[i].Box, lineHeight, lineWidth), Tag(id, i));
        }
    }

    /// <summary>Pictures are reported in the order they came, each once every line of it is read (or its reading failed).</summary>
    private void EmitFinished(PluginContext context)
    {
        while (_reading.Count > 0 && _reading.First() is { Value.Finished: true } first)
        {
            _reading.Remove(first.Key);
            var reading = first.Value;
            if (reading.Failure is { } failure)
            {
                context.Notify("OCR_FAILED", $"picture {reading.Frame.Index} was not read: {failure}");
                continue;
            }

            var minimum = context.Config.Number("MIN_CONFIDENCE", 0.5);
            var lines = reading.Lines.Where(l => l.Text.Length > 0 && l.Confidence >= minimum).ToList();
            var text = string.Join("\n", lines.Select(l => l.Text));
            if (text == _lastText && context.Config.String("EMIT", "CHANGES") == "CHANGES")
            {
                continue;
            }

            _lastText = text;
            var watched = Watched(context.Config.String("WATCH"), text);
            context.Emit(new JsonObject
            {
                ["TEXT"] = text,
                ["LINES"] = new JsonArray([.. lines.Select(l => (JsonNode)new JsonObject
                {
                    ["TEXT"] = l.Text,
                    ["CONFIDENCE"] = Math.Round(l.Confidence, 3),
                    ["BOX"] = new JsonArray(l.Box.X, l.Box.Y, l.Box.Width, l.Box.Height),
                })]),
                ["WATCHED"] = new JsonArray([.. watched.Select(w => (JsonNode)w)]),
                ["IS_ALERT"] = watched.Count > 0,
                ["PICTURES_SKIPPED"] = _skipped,
                ["FRAME_INDEX"] = reading.Frame.Index,
                ["FRAME_TIME"] = reading.Frame.At.ToUnixTimeMilliseconds(),
            });
            _skipped = 0;
        }
    }

    private static List<string> Watched(string? watch, string text) => watch is null
        ? []
        : [.. watch.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Where(word => text.Contains(word, StringComparison.OrdinalIgnoreCase)).Distinct(StringComparer.OrdinalIgnoreCase)];

    private static string DetectorOf(PluginContext context) => context.Config.String("DET_MODEL") ?? "ppocr-det";

    private static string RecogniserOf(PluginContext context) => context.Config.String("REC_MODEL") ?? "ppocr-rec";

    private static string Tag(long id, int line) => string.Create(CultureInfo.InvariantCulture, $"{id}|{line}");

    private static (long Id, int Line) Untag(string tag)
    {
        var bar = tag.IndexOf('|');
        return (long.Parse(tag.AsSpan(0, bar), CultureInfo.InvariantCulture), int.Parse(tag.AsSpan(bar + 1), CultureInfo.InvariantCulture));
    }

    /// <summary>One picture being read: its lines as the recogniser answers them.</summary>
    private sealed class Reading(Frame frame, double scale)
    {
        private IReadOnlyList<TextRegion>? _regions;
        private (string Text, float Confidence)?[] _read = [];

        public Frame Frame { get; } = frame;

        public double Scale { get; } = scale;

        public string? Failure { get; private set; }

        public bool Finished => Failure is not null || (_regions is not null && _read.All(r => r is not null));

        public IEnumerable<(string Text, float Confidence, PixelBox Box)> Lines =>
            _read.Select((r, i) => (r!.Value.Text, r.Value.Confidence, _regions![i].Box));

        public void Expect(IReadOnlyList<TextRegion> regions)
        {
            _regions = regions;
            _read = new (string, float)?[regions.Count];
        }

        public void Read(int line, string text, float confidence)
        {
            if (line < _read.Length)
            {
                _read[line] = (text, confidence);
            }
        }

        public void Fail(string reason) => Failure ??= reason;
    }
}
