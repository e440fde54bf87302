using System.Collections.Immutable;
using System.Text.Json.Nodes;
using Naeural.Actors.Capture;
using Naeural.Actors.Plugins;
using Naeural.Actors.Plugins.BuiltIn;
using Xunit;

namespace Naeural.Fast.Tests.Plugins;

public sealed class BuiltInPluginTests
{
    [Fact]
    public void Threshold_alert_raises_once_and_lowers_only_below_the_lower_threshold()
    {
        var context = Context("""{ "RAISE_THRESHOLD": 10, "LOWER_THRESHOLD": 5 }""");
        var plugin = new ThresholdAlertPlugin();

        plugin.Process(Frames(1, 9, 10, 12, 9, 6, 5, 11, 4), context);

        var alerts = Outputs(context);
        Assert.Equal(["RAISED", "LOWERED", "RAISED", "LOWERED"], alerts.Select(a => a["ALERT_STATE"]!.GetValue<string>()));
        Assert.Equal([2L, 6, 7, 8], alerts.Select(a => a["FRAME_INDEX"]!.GetValue<long>()));
    }

    [Fact]
    public void Moving_window_stats_report_over_the_last_window_only()
    {
        var context = Context("""{ "WINDOW": 3, "EMIT_EVERY": 5 }""");
        new MovingWindowStatsPlugin().Process(Frames(100, 100, 1, 2, 3), context);

        var stats = Assert.Single(Outputs(context))["STATS"]!["value"]!;
        Assert.Equal((2.0, 1.0, 3.0, 3), (stats["MEAN"]!.GetValue<double>(), stats["MIN"]!.GetValue<double>(), stats["MAX"]!.GetValue<double>(), stats["COUNT"]!.GetValue<int>()));
        Assert.Equal(Math.Sqrt(2.0 / 3), stats["STD"]!.GetValue<double>(), precision: 9);
    }

    [Fact]
    public void Counter_emits_every_n_frames_and_resets_on_command()
    {
        var context = Context("""{ "EMIT_EVERY": 2 }""");
        var counter = new CounterPlugin();

        counter.Process(Frames(1, 2, 3, 4, 5), context);
        counter.OnCommand(JsonValue.Create("RESET"), context);
        counter.Process(Frames(6, 7), context);

        Assert.Equal([2L, 4, 2], Outputs(context).Select(o => o["COUNT"]!.GetValue<long>()));
    }

    private static PluginContext Context(string config) =>
        new("pipeline", "TEST", "instance", JsonNode.Parse(config)!.AsObject(), TimeProvider.System);

    private static List<JsonObject> Outputs(PluginContext context) => [.. context.TakeOutputs().Payloads];

    private static Frame[] Frames(params double[] values) => values
        .Select((v, i) => new Frame(i, DateTimeOffset.UnixEpoch, ImmutableDictionary<string, double>.Empty.Add("value", v), ImmutableDictionary<string, string>.Empty))
        .ToArray();
}
