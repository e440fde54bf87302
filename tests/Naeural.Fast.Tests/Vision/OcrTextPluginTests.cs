using System.Collections.Immutable;
using System.Text.Json.Nodes;
using Naeural.Actors.Capture;
using Naeural.Actors.Inference;
using Naeural.Actors.Plugins;
using Naeural.Actors.Plugins.BuiltIn;
using Xunit;

namespace Naeural.Fast.Tests.Vision;

/// <summary>
/// <c>OCR_TEXT</c> driven by hand, its models' answers made up: pictures reported in the order they came whatever order the
/// answers come in, a bad answer losing its picture and not the instance, and failures told once.
/// </summary>
public sealed class OcrTextPluginTests
{
    // A 32×32 detector and an 8×16 recogniser (2 steps of 3 classes: blank, "A", "B").
    private static readonly ServedModels Models = ServedModelsWith(("det", [3L, 32, 32], 32 * 32, null), ("rec", [3L, 8, 16], 2 * 3, ["<blank>", "A", "B"]));

    [Fact]
    public void Pictures_are_reported_in_the_order_they_came_whatever_order_their_answers_come_in()
    {
        var (plugin, context) = Reader("""{ "DET_MODEL": "det", "REC_MODEL": "rec", "EMIT": "ALL" }""");
        plugin.Process([Picture(0), Picture(1)], context);
        var detections = context.TakeOutputs().Inferences;
        Assert.Equal(2, detections.Count);

        // The second picture's map answers first: one line; then its line is read, "B".
        plugin.OnInferenceResult(detections[1].Tag, Map(line: true), context);
        var line = Assert.Single(context.TakeOutputs().Inferences);
        Assert.Equal(3 * 8 * 16, line.Input.Length);
        plugin.OnInferenceResult(line.Tag, [0.1f, 0.1f, 0.8f, 0.9f, 0.05f, 0.05f], context);
        Assert.Empty(context.TakeOutputs().Payloads); // held back: the first picture is not read yet

        plugin.OnInferenceResult(detections[0].Tag, Map(line: false), context); // no text in the first
        var payloads = context.TakeOutputs().Payloads;
        Assert.Equal(["", "B"], payloads.Select(p => p["TEXT"]!.GetValue<string>()));
        Assert.Equal([0L, 1], payloads.Select(p => p["FRAME_INDEX"]!.GetValue<long>()));
    }

    [Fact]
    public void An_answer_of_the_wrong_size_loses_its_picture_not_the_instance()
    {
        var (plugin, context) = Reader("""{ "DET_MODEL": "det", "REC_MODEL": "rec", "EMIT": "ALL" }""");
        plugin.Process([Picture(0), Picture(1)], context);
        var detections = context.TakeOutputs().Inferences;

        plugin.OnInferenceResult(detections[0].Tag, new float[7], context); // not a 32×32 map
        plugin.OnInferenceResult(detections[1].Tag, Map(line: false), context);

        var (payloads, notifications, _) = context.TakeOutputs();
        Assert.Equal([1L], payloads.Select(p => p["FRAME_INDEX"]!.GetValue<long>()));
        Assert.Contains(notifications, n => n.Code == "OCR_FAILED" && n.Message.Contains("32×32 map has 1024 values, not 7"));
    }

    [Fact]
    public void A_model_the_node_does_not_serve_is_told_once_and_the_pictures_it_costs_are_counted()
    {
        var (plugin, context) = Reader("""{ "DET_MODEL": "nope", "REC_MODEL": "rec" }""");
        plugin.Process([.. Enumerable.Range(0, 5).Select(i => Picture(i))], context);

        var (payloads, notifications, inferences) = context.TakeOutputs();
        Assert.Empty(payloads);
        Assert.Empty(inferences);
        Assert.Equal(["pictures are not read: model 'nope' (DET_MODEL) is not served on this node"], notifications.Select(n => n.Message));
    }

    private static (OcrTextPlugin Plugin, PluginContext Context) Reader(string config)
    {
        var context = new PluginContext("pipeline", OcrTextPlugin.Signature, "reader", JsonNode.Parse(config)!.AsObject(), TimeProvider.System)
        {
            Models = Models,
        };
        var plugin = new OcrTextPlugin();
        plugin.Init(context);
        return (plugin, context);
    }

    /// <summary>A detector's map: empty, or one bright 20×8 line in the middle.</summary>
    private static float[] Map(bool line)
    {
        var map = new float[32 * 32];
        for (var y = 12; line && y < 20; y++)
        {
            Array.Fill(map, 0.9f, y * 32 + 6, 20);
        }

        return map;
    }

    private static Frame Picture(long index) => new(index, DateTimeOffset.UnixEpoch, ImmutableDictionary<string, double>.Empty,
        ImmutableDictionary<string, string>.Empty, new FrameImage(64, 64, [.. new byte[64 * 64 * 3]]));

    private static ServedModels ServedModelsWith(params (string Name, long[] Shape, long Outputs, string[]? Labels)[] models)
    {
        var folder = Directory.CreateTempSubdirectory("naeural-ocr-plugin-").FullName;
        foreach (var model in models.Where(m => m.Labels is not null))
        {
            File.WriteAllLines(Path.Combine(folder, model.Name + ServedModels.LabelsExtension), model.Labels!);
        }

        var served = ServedModels.From(models.Select(m => (m.Name, m.Shape, m.Outputs)), folder);
        Directory.Delete(folder, recursive: true);
        return served;
    }
}
