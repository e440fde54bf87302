using System.Text.Json.Nodes;
using Naeural.Actors.Capture;
using Naeural.Actors.Pipelines;

namespace Naeural.Actors.Plugins.BuiltIn;

/// <summary>
/// <c>THRESHOLD_ALERT</c>: watches one value (<c>VALUE</c>, default the frame's first) and raises an alert when it reaches
/// <c>RAISE_THRESHOLD</c>, lowering it only once it falls to <c>LOWER_THRESHOLD</c> (hysteresis, so a value hovering at the
/// threshold doesn't flap). Emits a payload on each raise and each lower; with <c>EMIT_ALWAYS</c>, on every frame.
/// </summary>
public sealed class ThresholdAlertPlugin : IBusinessPlugin, IPluginDefinition
{
    private bool _raised;

    public static string Signature => "THRESHOLD_ALERT";

    public static string Description => "Raise/lower alert with hysteresis on one value";

    public static void Validate(ConfigReader config)
    {
        var raise = config.Number("RAISE_THRESHOLD", 0, required: true);
        var lower = config.Number("LOWER_THRESHOLD", raise);
        if (lower > raise)
        {
            config.Error("LOWER_THRESHOLD", $"must not be above RAISE_THRESHOLD ({raise})");
        }

        config.String("VALUE");
        config.Boolean("EMIT_ALWAYS", false);
    }

    public void Process(IReadOnlyList<Frame> frames, PluginContext context)
    {
        var key = context.Config.String("VALUE");
        var raise = context.Config.Number("RAISE_THRESHOLD", 0);
        var lower = context.Config.Number("LOWER_THRESHOLD", raise);
        var emitAlways = context.Config.Boolean("EMIT_ALWAYS", false);
        foreach (var frame in frames)
        {
            if (!frame.TryGetValue(key, out var value))
            {
                continue;
            }

            var changed = false;
            if (!_raised && value >= raise)
            {
                _raised = changed = true;
            }
            else if (_raised && value <= lower)
            {
                _raised = false;
                changed = true;
            }

            if (changed || emitAlways)
            {
                context.Emit(new JsonObject
                {
                    ["IS_ALERT"] = _raised,
                    ["ALERT_STATE"] = _raised ? "RAISED" : "LOWERED",
                    ["ALERT_CHANGED"] = changed,
                    ["VALUE"] = value,
                    ["VALUE_KEY"] = key,
                    ["FRAME_INDEX"] = frame.Index,
                    ["FRAME_TIME"] = frame.At.ToUnixTimeMilliseconds(),
                });
            }
        }
    }
}
