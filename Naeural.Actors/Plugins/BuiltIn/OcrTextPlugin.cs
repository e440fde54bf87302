using System.Globalization;
using System.Text.Json.Nodes;
using Naeural.Actors.Capture;
using Naeural.Actors.Inference;
using Naeural.Actors.Pipelines;
using Naeural.Actors.Vision;

namespace Naeural.Actors.Plugins.BuiltIn;

/// <summary>
/// <c>OCR_TEXT</c>: reads the text in a video's pictures with a served two-stage OCR model (PaddleOCR's PP-OCRv4, installed by
/// <c>scripts/fetch-ocr-models.sh</c>). Each picture is fitted into the detector's input (<c>DET_MODEL</c>, at the size the node
/// serves it: 3 × height × width); each line it finds (at most <c>MAX_LINES</c>) is cut from the picture at full resolution and
/// read by the recogniser (<c>REC_MODEL</c>, 3 × height × width as served, decoded with its labels). Sizes come from the served
/// models, never from the tenant's config. Both run on the node's model servers, batched with every other pipeline's pictures
/// and lines. Lines read with less than <c>MIN_CONFIDENCE</c> are dropped. A payload goes out when the text read changes (every
/// picture with <c>EMIT</c> = <c>ALL</c>), in picture order; it names the <c>WATCH</c> words (comma-separated,
/// case-insensitive) it contains and raises <c>IS_ALERT</c> on them. At most <c>MAX_PICTURES_IN_FLIGHT</c> pictures are being
/// read at once; later ones are skipped and counted (<c>PICTURES_SKIPPED</c>, since the previous payload). A failure (a model
/// the node does not serve, an inference that failed) is told once per reason, with how many pictures it cost.
/// </summary>
public sealed class OcrTextPlugin : IBusinessPlugin, IPluginDefinition
{
    /// <summary>
    /// Pictures in flight at most: with <see cref="MaxLines"/> lines each, an instance's inferences stay under the 256 its
    /// entity lets a plugin have pending (6 + 6 × 32 = 198).
    /// </summary>
    private const int MaxPictures = 6;

    private const int MaxLines = 32;

    /// <summary>While one failure lasts, how many lost pictures between its reminders.</summary>
    private const int RetellEvery = 1000;

    private readonly SortedDictionary<long, Reading> _reading = [];
    private TextDetection _detection = new();
    private long _next;
    private long _skipped;
    private string? _lastText;
    private string? _lastFailure;
    private long _failedSinceTold;

    public static string Signature => "OCR_TEXT";

    public static string Description => "Reads the text in pictures with a served OCR model (detector + recogniser) and alerts on watched words";

    public static void Validate(ConfigReader config)
    {
        config.String("DET_MODEL");
        config.String("REC_MODEL");
        config.Number("MIN_CONFIDENCE", 0.5, min: 0, max: 1);
        config.Number("DET_THRESHOLD", 0.3, min: 0.01, max: 0.99);
        config.Number("BOX_THRESHOLD", 0.6, min: 0.01, max: 0.99);
        config.Integer("MAX_LINES", 16, min: 1, max: MaxLines);
        config.Integer("MAX_PICTURES_IN_FLIGHT", 4, min: 1, max: MaxPictures);
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
        MaxRegions: Math.Clamp(context.Config.Integer("MAX_LINES", 16), 1, MaxLines));

    public void Process(IReadOnlyList<Frame> frames, PluginContext context)
    {
        foreach (var frame in frames)
        {
            if (frame.Image is not { } image)
            {
                continue;
            }

            // Clamped here too: a spec accepted before these bounds is replayed without validation.
            if (_reading.Count >= Math.Clamp(context.Config.Integer("MAX_PICTURES_IN_FLIGHT", 4), 1, MaxPictures))
            {
                _skipped++;
                continue;
            }

            if (Models(context, out var failure) is not { } models)
            {
                Failed(failure!, context);
                continue;
            }

            var (tensor, scale) = ImageTensors.Fit(image, models.DetHeight, models.DetWidth, ImageTensors.DetectorMean, ImageTensors.DetectorStd);
            var id = _next++;
            _reading[id] = new Reading(frame.Index, frame.At.ToUnixTimeMilliseconds(), image, scale, models);
            context.Infer(models.Detector.Name, tensor, Tag(id, line: -1));
        }
    }

    public void OnInferenceResult(string tag, float[] output, PluginContext context)
    {
        var (id, line) = Untag(tag);
        if (!_reading.TryGetValue(id, out var reading))
        {
            return;
        }

        try
        {
            if (line < 0)
            {
                Detected(reading, id, output, context);
            }
            else
            {
                var (text, confidence) = CtcDecoding.Decode(output, reading.Models.Labels);
                reading.Read(line, text.Trim(), confidence);
            }
        }
        catch (Exception e)
        {
            // An answer of another shape than the served model's, or anything else: the picture is lost, not the instance
            // (an unfinished picture would hold back every later one).
            reading.Fail(e.Message);
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

    /// <summary>The served detector and recogniser this instance names, checked: or null and why.</summary>
    private static OcrModels? Models(PluginContext context, out string? failure)
    {
        var (detName, recName) = (context.Config.String("DET_MODEL") ?? "ppocr-det", context.Config.String("REC_MODEL") ?? "ppocr-rec");
        var (detector, recogniser) = (context.ModelOf(detName), context.ModelOf(recName));
        failure = detector is null ? $"model '{detName}' (DET_MODEL) is not served on this node"
            : recogniser is null ? $"model '{recName}' (REC_MODEL) is not served on this node"
            : detector.InputShape is not [3, > 0, > 0] || detector.OutputSize != detector.InputShape[1] * detector.InputShape[2]
                ? $"model '{detName}' (DET_MODEL) is not a text detector: it takes [{string.Join(", ", detector.InputShape)}] and gives {detector.OutputSize} values, not a picture's map"
            : recogniser.InputShape is not [3, > 0, > 0] ? $"model '{recName}' (REC_MODEL) takes [{string.Join(", ", recogniser.InputShape)}], not a picture of a line"
            : recogniser.Labels is not { } labels || recogniser.OutputSize % labels.Count != 0
                ? $"model '{recName}' (REC_MODEL) has no labels that fit its {recogniser.OutputSize} values ({recName}{ServedModels.LabelsExtension} in the node's models folder)"
            : null;
        return failure is null ? new OcrModels(detector!, recogniser!) : null;
    }

    private void Detected(Reading reading, long id, float[] map, PluginContext context)
    {
        var models = reading.Models;
        var regions = _detection.Find(map, models.DetHeight, models.DetWidth, reading.Scale, reading.Image.Width, reading.Image.Height);
        reading.Expect(regions);
        for (var i = 0; i < regions.Count; i++)
        {
            context.Infer(models.Recogniser.Name, ImageTensors.Line(reading.Image, regions[i].Box, models.RecHeight, models.RecWidth), Tag(id, i));
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
                Failed(failure, context);
                continue;
            }

            Recovered(context);
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
                ["FRAME_INDEX"] = reading.FrameIndex,
                ["FRAME_TIME"] = reading.FrameTime,
            });
            _skipped = 0;
        }
    }

    /// <summary>
    /// A picture not read. Told when the reason is new; the pictures lost to it since are told when the reason changes or
    /// reading recovers, and every <see cref="RetellEvery"/> pictures while it lasts (a missing model fails every picture).
    /// </summary>
    private void Failed(string reason, PluginContext context)
    {
        if (reason == _lastFailure)
        {
            if (++_failedSinceTold % RetellEvery == 0)
            {
                context.Notify("OCR_FAILED", $"pictures are still not read: {reason} ({_failedSinceTold} more since it was first told)");
            }

            return;
        }

        Recovered(context);
        context.Notify("OCR_FAILED", $"pictures are not read: {reason}");
        _lastFailure = reason;
    }

    /// <summary>The last failure's reason no longer holds: the pictures it cost after its notice are told.</summary>
    private void Recovered(PluginContext context)
    {
        if (_lastFailure is not null && _failedSinceTold > 0)
        {
            context.Notify("OCR_FAILED", $"{_failedSinceTold} more picture(s) were not read: {_lastFailure}");
        }

        (_lastFailure, _failedSinceTold) = (null, 0);
    }

    private static List<string> Watched(string? watch, string text) => watch is null
        ? []
        : [.. watch.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Where(word => text.Contains(word, StringComparison.OrdinalIgnoreCase)).Distinct(StringComparer.OrdinalIgnoreCase)];

    private static string Tag(long id, int line) => string.Create(CultureInfo.InvariantCulture, $"{id}|{line}");

    private static (long Id, int Line) Untag(string tag)
    {
        var bar = tag.IndexOf('|');
        return (long.Parse(tag.AsSpan(0, bar), CultureInfo.InvariantCulture), int.Parse(tag.AsSpan(bar + 1), CultureInfo.InvariantCulture));
    }

    /// <summary>The detector and recogniser a picture is read with, and the sizes they are served at.</summary>
    private sealed record OcrModels(ServedModel Detector, ServedModel Recogniser)
    {
        public int DetHeight => (int)Detector.InputShape[1];

        public int DetWidth => (int)Detector.InputShape[2];

        public int RecHeight => (int)Recogniser.InputShape[1];

        public int RecWidth => (int)Recogniser.InputShape[2];

        public IReadOnlyList<string> Labels => Recogniser.Labels!;
    }

    /// <summary>One picture being read (its picture, not its frame, is held): its lines as the recogniser answers them.</summary>
    private sealed class Reading(long frameIndex, long frameTime, FrameImage image, double scale, OcrModels models)
    {
        private IReadOnlyList<TextRegion>? _regions;
        private (string Text, float Confidence)?[] _read = [];

        public long FrameIndex { get; } = frameIndex;

        public long FrameTime { get; } = frameTime;

        public FrameImage Image { get; } = image;

        public double Scale { get; } = scale;

        public OcrModels Models { get; } = models;

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
            if (line >= 0 && line < _read.Length)
            {
                _read[line] = (text, confidence);
            }
        }

        public void Fail(string reason) => Failure ??= reason;
    }
}
