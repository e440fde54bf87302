using System.Text.Json.Nodes;
using Naeural.Actors.Capture;
using Naeural.Actors.Pipelines;
using Naeural.Actors.Plugins;

namespace Naeural.Actors.Tests.Pipelines;

/// <summary>A developer's own plugin: doubles the first value of each frame.</summary>
public sealed class DoublerPlugin : IBusinessPlugin, IPluginDefinition
{
    public static string Signature => "DOUBLER";

    public static string Description => "Test: doubles the value";

    public static void Validate(ConfigReader config) => config.Number("FACTOR", 2, min: 1, max: 10);

    public void Process(IReadOnlyList<Frame> frames, PluginContext context)
    {
        foreach (var frame in frames)
        {
            frame.TryGetValue(null, out var value);
            context.Emit(new JsonObject { ["DOUBLED"] = value * context.Config.Number("FACTOR", 2), ["INDEX"] = frame.Index });
        }
    }
}

/// <summary>Throws on every frame whose index is in the first <c>FAIL_FIRST</c>, then works.</summary>
public sealed class FlakyPlugin : IBusinessPlugin, IPluginDefinition
{
    private int _calls;

    public static string Signature => "FLAKY";

    public static string Description => "Test: fails its first calls";

    public static void Validate(ConfigReader config) => config.Integer("FAIL_FIRST", 1, min: 0, max: 100);

    public void Process(IReadOnlyList<Frame> frames, PluginContext context)
    {
        if (_calls++ < context.Config.Integer("FAIL_FIRST", 1))
        {
            throw new InvalidOperationException($"flaky failure #{_calls}");
        }

        context.Emit(new JsonObject { ["FRAMES"] = frames.Count, ["CALL"] = _calls });
    }
}

/// <summary>Fails to initialise.</summary>
public sealed class BrokenInitPlugin : IBusinessPlugin, IPluginDefinition
{
    public static string Signature => "BROKEN_INIT";

    public static string Description => "Test: Init throws";

    public static void Validate(ConfigReader config)
    {
    }

    public void Init(PluginContext context) => throw new InvalidOperationException("model file missing");

    public void Process(IReadOnlyList<Frame> frames, PluginContext context)
    {
    }
}

/// <summary>Takes a long time per call, so its queue fills: reports how many frames each call got.</summary>
public sealed class SlowPlugin : IBusinessPlugin, IPluginDefinition
{
    public static string Signature => "SLOW";

    public static string Description => "Test: slow consumer";

    public static void Validate(ConfigReader config) => config.Integer("MILLIS", 50, min: 0, max: 10_000);

    public void Process(IReadOnlyList<Frame> frames, PluginContext context)
    {
        Thread.Sleep(context.Config.Integer("MILLIS", 50)); // stands in for a slow model; it is the plugin under test that is slow
        context.Emit(new JsonObject { ["FRAMES"] = frames.Count });
    }
}

/// <summary>Emits a value that is not a number (a plugin dividing 0 by 0).</summary>
public sealed class NanPlugin : IBusinessPlugin, IPluginDefinition
{
    public static string Signature => "NAN";

    public static string Description => "Test: emits NaN";

    public static void Validate(ConfigReader config)
    {
    }

    public void Process(IReadOnlyList<Frame> frames, PluginContext context) =>
        context.Emit(new JsonObject { ["RATIO"] = double.NaN, ["FRAMES"] = frames.Count });
}
