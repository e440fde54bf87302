using System.Text.Json.Nodes;
using Naeural.Actors.Capture;
using Naeural.Actors.Pipelines;

namespace Naeural.Actors.Plugins.BuiltIn;

/// <summary>
/// <c>COUNTER</c>: counts the frames it sees and emits the running total every <c>EMIT_EVERY</c> frames; with
/// <c>ALLOW_EMPTY_INPUTS</c> it also reports on schedule when nothing arrives. The <c>RESET</c> instance command zeroes it.
/// </summary>
public sealed class CounterPlugin : IBusinessPlugin, IPluginDefinition
{
    private long _count;
    private long _sinceEmit;

    public static string Signature => "COUNTER";

    public static string Description => "Counts frames; emits the total every EMIT_EVERY frames";

    public static void Validate(ConfigReader config) => config.Integer("EMIT_EVERY", 100, min: 1, max: 1_000_000_000);

    public void Process(IReadOnlyList<Frame> frames, PluginContext context)
    {
        var emitEvery = context.Config.Integer("EMIT_EVERY", 100);
        if (frames.Count == 0)
        {
            context.Emit(new JsonObject { ["COUNT"] = _count, ["IDLE"] = true });
            return;
        }

        foreach (var _ in frames)
        {
            _count++;
            if (++_sinceEmit >= emitEvery)
            {
                _sinceEmit = 0;
                context.Emit(new JsonObject { ["COUNT"] = _count });
            }
        }
    }

    public void OnCommand(JsonNode? command, PluginContext context)
    {
        if (command is JsonValue value && value.TryGetValue<string>(out var text) && text.Equals("RESET", StringComparison.OrdinalIgnoreCase))
        {
            _count = _sinceEmit = 0;
            context.Notify("COUNTER_RESET", "counter reset to 0");
        }
    }
}
