using System.Globalization;
using System.Text.Json.Nodes;
using Naeural.Actors.Capture;
using Naeural.Actors.Pipelines;

namespace Naeural.Actors.Plugins.BuiltIn;

/// <summary>
/// <c>ANOMALY_DETECTOR</c>: keeps a sliding window of the last <c>WINDOW</c> readings of <c>VALUE</c> (default the frame's first)
/// and, every <c>STEP</c> frames, asks the node's model server for <c>AI_ENGINE</c> (default <c>anomaly-autoencoder</c>) to score
/// it; requests from all pipelines on the node are batched. A score above <c>THRESHOLD</c> (default 1: the trained model's own
/// calibration) raises an alert, falling to <c>LOWER_THRESHOLD</c> lowers it; payloads carry the score (every scored window
/// with <c>EMIT_ALWAYS</c>).
/// </summary>
public sealed class AnomalyDetectorPlugin : IBusinessPlugin, IPluginDefinition
{
    private readonly Queue<float> _window = new();
    private long _sinceScored;
    private long _lastScoredFrame = -1;
    private bool _raised;

    public static string Signature => "ANOMALY_DETECTOR";

    public static string Description => "Scores sliding windows with a served model (AI_ENGINE) and raises alerts";

    public static void Validate(ConfigReader config)
    {
        config.String("AI_ENGINE");
        config.String("VALUE");
        config.Integer("WINDOW", 32, min: 2, max: 4096);
        config.Integer("STEP", 1, min: 1, max: 100_000);
        var raise = config.Number("THRESHOLD", 1, min: 0);
        if (config.Number("LOWER_THRESHOLD", raise, min: 0) > raise)
        {
            config.Error("LOWER_THRESHOLD", $"must not be above THRESHOLD ({raise})");
        }

        config.Boolean("EMIT_ALWAYS", false);
    }

    public void OnConfigChanged(PluginContext context)
    {
        _window.Clear();
        _lastScoredFrame = -1;
    }

    public void Process(IReadOnlyList<Frame> frames, PluginContext context)
    {
        var key = context.Config.String("VALUE");
        var size = context.Config.Integer("WINDOW", 32);
        var step = context.Config.Integer("STEP", 1);
        var model = context.Config.String("AI_ENGINE") ?? "anomaly-autoencoder";
        foreach (var frame in frames)
        {
            if (!frame.TryGetValue(key, out var value))
            {
                continue;
            }

            if (frame.Index < _lastScoredFrame)
            {
                _lastScoredFrame = -1; // the source restarted its numbering: a new stream
                _window.Clear();
            }

            _window.Enqueue((float)value);
            while (_window.Count > size)
            {
                _window.Dequeue();
            }

            if (_window.Count == size && ++_sinceScored >= step)
            {
                _sinceScored = 0;
                context.Infer(model, [.. _window], Tag(frame, value));
            }
        }
    }

    public void OnInferenceResult(string tag, float[] output, PluginContext context)
    {
        var (frameIndex, frameTime, value) = Untag(tag);
        if (frameIndex <= _lastScoredFrame)
        {
            return; // an older window answered late: alerts follow the stream's order
        }

        _lastScoredFrame = frameIndex;
        var score = output[0];
        var raise = context.Config.Number("THRESHOLD", 1);
        var lower = context.Config.Number("LOWER_THRESHOLD", raise);
        var changed = false;
        if (!_raised && score > raise)
        {
            _raised = changed = true;
        }
        else if (_raised && score <= lower)
        {
            _raised = false;
            changed = true;
        }

        if (changed || context.Config.Boolean("EMIT_ALWAYS", false))
        {
            context.Emit(new JsonObject
            {
                ["SCORE"] = score,
                ["IS_ANOMALY"] = _raised,
                ["ALERT_STATE"] = _raised ? "RAISED" : "LOWERED",
                ["ALERT_CHANGED"] = changed,
                ["AI_ENGINE"] = context.Config.String("AI_ENGINE") ?? "anomaly-autoencoder",
                ["VALUE"] = value,
                ["FRAME_INDEX"] = frameIndex,
                ["FRAME_TIME"] = frameTime,
            });
        }
    }

    private static string Tag(Frame frame, double value) =>
        string.Create(CultureInfo.InvariantCulture, $"{frame.Index}|{frame.At.ToUnixTimeMilliseconds()}|{value:R}");

    private static (long Index, long Time, double Value) Untag(string tag)
    {
        var parts = tag.Split('|');
        return (long.Parse(parts[0], CultureInfo.InvariantCulture), long.Parse(parts[1], CultureInfo.InvariantCulture),
            double.Parse(parts[2], CultureInfo.InvariantCulture));
    }
}
