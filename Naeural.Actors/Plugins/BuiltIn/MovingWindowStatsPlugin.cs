using System.Text.Json.Nodes;
using Naeural.Actors.Capture;
using Naeural.Actors.Pipelines;

namespace Naeural.Actors.Plugins.BuiltIn;

/// <summary>
/// <c>MOVING_WINDOW_STATS</c>: mean, standard deviation, min and max of each value over the last <c>WINDOW</c> frames
/// (or only of <c>VALUE</c>), emitted every <c>EMIT_EVERY</c> frames (default: once per window).
/// </summary>
public sealed class MovingWindowStatsPlugin : IBusinessPlugin, IPluginDefinition
{
    private readonly Dictionary<string, Queue<double>> _windows = new(StringComparer.Ordinal);
    private long _sinceEmit;

    public static string Signature => "MOVING_WINDOW_STATS";

    public static string Description => "Moving-window mean/std/min/max of the captured values";

    public static void Validate(ConfigReader config)
    {
        var window = config.Integer("WINDOW", 60, min: 2, max: 100_000);
        config.Integer("EMIT_EVERY", window, min: 1, max: 1_000_000);
        config.String("VALUE");
    }

    public void OnConfigChanged(PluginContext context) => _windows.Clear();

    public void Process(IReadOnlyList<Frame> frames, PluginContext context)
    {
        var window = context.Config.Integer("WINDOW", 60);
        var emitEvery = context.Config.Integer("EMIT_EVERY", window);
        var only = context.Config.String("VALUE");
        foreach (var frame in frames)
        {
            foreach (var (key, value) in frame.Values)
            {
                if (only is not null && key != only)
                {
                    continue;
                }

                if (!_windows.TryGetValue(key, out var queue))
                {
                    _windows[key] = queue = new Queue<double>(window + 1);
                }

                queue.Enqueue(value);
                while (queue.Count > window)
                {
                    queue.Dequeue();
                }
            }

            if (++_sinceEmit >= emitEvery)
            {
                _sinceEmit = 0;
                context.Emit(Stats(frame.Index));
            }
        }
    }

    private JsonObject Stats(long frameIndex)
    {
        var stats = new JsonObject();
        foreach (var (key, queue) in _windows.OrderBy(w => w.Key, StringComparer.Ordinal))
        {
            var mean = queue.Average();
            var variance = queue.Sum(v => (v - mean) * (v - mean)) / queue.Count;
            stats[key] = new JsonObject
            {
                ["MEAN"] = mean,
                ["STD"] = Math.Sqrt(variance),
                ["MIN"] = queue.Min(),
                ["MAX"] = queue.Max(),
                ["COUNT"] = queue.Count,
            };
        }

        return new JsonObject { ["STATS"] = stats, ["FRAME_INDEX"] = frameIndex };
    }
}
