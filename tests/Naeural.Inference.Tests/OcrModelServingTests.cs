using System.Collections.Immutable;
using Akka.Actor;
using Naeural.Actors.Capture;
using Naeural.Actors.Inference;
using Naeural.Actors.Vision;
using Naeural.Inference.Models;
using Naeural.Inference.Serving;
using Naeural.Testing;
using Xunit;
using Xunit.Abstractions;

namespace Naeural.Inference.Tests;

/// <summary>
/// A real pretrained model on the ONNX engine: PaddleOCR's PP-OCRv4 detector and recogniser, whose files leave the picture
/// size dynamic, served at the sizes their model cards fix; lines of text from several pipelines batched on one server answer
/// as each would alone.
/// </summary>
public sealed class OcrModelServingTests(ITestOutputHelper output)
    : Akka.TestKit.Xunit2.TestKit(InferenceConfig.Hocon.WithFallback(Akka.Configuration.ConfigurationFactory.ParseString("akka.loglevel = WARNING"))), IDisposable
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);
    private readonly string _data = Directory.CreateTempSubdirectory("naeural-ocr-").FullName;

    private string Models => ModelFiles.FolderOf(_data);

    [Fact]
    public void Model_cards_fix_the_picture_size_and_the_output_size_is_found_by_running_a_sample()
    {
        OcrModels.InstallInto(_data);
        var (catalogue, problems) = ModelFiles.WithOnnxModels(_data, ModelCatalogue.BuiltIn);

        Assert.Empty(problems);
        var (detector, recogniser) = (catalogue.Find("ppocr-det")!, catalogue.Find("ppocr-rec")!);
        Assert.Equal([3L, 480, 640], detector.InputShape);
        Assert.Equal(480L * 640, detector.OutputSize);
        Assert.Equal([3L, 48, 320], recogniser.InputShape);
        Assert.Equal(40L * 6625, recogniser.OutputSize);
    }

    [Fact]
    public void A_dynamic_model_without_a_card_or_with_a_card_that_does_not_fit_is_refused_naming_both_shapes()
    {
        OcrModels.InstallInto(_data);
        File.Delete(Path.Combine(Models, "ppocr-det.json"));
        File.WriteAllText(Path.Combine(Models, "ppocr-rec.json"), """{"input": [3, 32, 320]}""");
        File.Copy(Path.Combine(Models, "ppocr-det.onnx"), Path.Combine(Models, "huge-det.onnx"));
        File.WriteAllText(Path.Combine(Models, "huge-det.json"), """{"input": [3, 4096, 4096]}""");
        File.Copy(Path.Combine(Models, "ppocr-det.onnx"), Path.Combine(Models, "odd-det.json.onnx"));
        File.WriteAllText(Path.Combine(Models, "odd-det.json.json"), """{"input": [3, 480, 640], "labels": "x"}""");

        var (catalogue, problems) = ModelFiles.WithOnnxModels(_data, ModelCatalogue.BuiltIn);

        Assert.Null(catalogue.Find("ppocr-det"));
        Assert.Null(catalogue.Find("ppocr-rec"));
        Assert.Contains(problems, p => p.Contains("'ppocr-det'") && p.Contains("input 'x' [?, 3, ?, ?]") && p.Contains("model card ppocr-det.json"));
        Assert.Contains(problems, p => p.Contains("'ppocr-rec'") && p.Contains("[?, 3, 48, ?]") && p.Contains("[batch, 3, 32, 320] does not fit"));
        Assert.Contains(problems, p => p.Contains("'huge-det'") && p.Contains("a sample of [3, 4096, 4096] is over 16777216 values"));
        Assert.Contains(problems, p => p.Contains("'odd-det.json'") && p.Contains("card odd-det.json.json is not valid"));
        Assert.Equal(4, problems.Count);
    }

    [Fact]
    public async Task Lines_of_text_from_several_pipelines_are_batched_and_each_reads_as_it_does_alone()
    {
        OcrModels.InstallInto(_data);
        var (catalogue, _) = ModelFiles.WithOnnxModels(_data, ModelCatalogue.BuiltIn);
        var recogniser = catalogue.Find("ppocr-rec")!;
        var labels = ServedModels.From([(recogniser.Name, recogniser.InputShape, recogniser.OutputSize)], Models).Find("ppocr-rec")!.Labels!;
        Assert.Equal(6625, labels.Count); // CTC's blank, the dictionary's 6,623 characters, a space
        string[] words = ["ALPHA 10", "BRAVO 22", "CHARLIE 333", "DELTA 4444", "ECHO 55", "FOXTROT 66", "GOLF 777", "HOTEL 88"];
        var lines = await Task.WhenAll(words.Select(Render));
        var inputs = lines.Select(l => ImageTensors.Line(l, new PixelBox(0, 0, l.Width, l.Height), 48, 320)).ToArray();
        var settings = new ModelServerSettings { MaxBatch = 8, MaxWait = TimeSpan.FromMilliseconds(50), Workers = 1, DataDirectory = _data };
        var service = Sys.ActorOf(InferenceService.Props(catalogue, settings));

        // Each line from its own pipeline and owner, all at once: one server batches them.
        var answers = await Task.WhenAll(inputs.Select((input, i) =>
            service.Ask<InferenceResult>(new Infer("ppocr-rec", input, Owner: $"0x{i:x40}", PipelineId: $"pipeline-{i}"), Bound)));

        var stats = await service.Ask<ModelServerStats>(new GetModelServerStatsFor("ppocr-rec"), Bound);
        Assert.True(stats.LargestBatch > 1, $"lines were batched (largest batch {stats.LargestBatch})");
        using var session = OnnxModels.Open("ppocr-rec", recogniser.OnnxFile!, threads: 1, cuda: false);
        var difference = 0f;
        for (var i = 0; i < inputs.Length; i++)
        {
            var alone = OnnxWorker.Forward(session, [.. session.InputNames], [.. session.OutputNames], recogniser, [inputs[i]]).Single();
            difference = Math.Max(difference, alone.Zip(answers[i].Output, (a, b) => Math.Abs(a - b)).Max());
            Assert.Equal(CtcDecoding.Decode(alone, labels).Text, CtcDecoding.Decode(answers[i].Output, labels).Text);
        }

        output.WriteLine($"max abs difference, batched vs alone over {inputs.Length} lines of 40x6625 probabilities: {difference:E2}");
        Assert.True(difference < 1e-4, $"max abs difference {difference}");
        Assert.Equal(words, answers.Select(a => CtcDecoding.Decode(a.Output, labels).Text.Trim()));
    }

    public new void Dispose()
    {
        base.Dispose();
        Directory.Delete(_data, recursive: true);
    }

    /// <summary>One line of black text on white, rendered by ffmpeg into raw RGB.</summary>
    private static async Task<FrameImage> Render(string text)
    {
        const int width = 320, height = 48;
        var pixels = await Ffmpeg.RunAsync("-f", "lavfi", "-i", $"color=c=white:s={width}x{height}:d=0.1", "-vf",
            $"drawtext=fontfile=/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf:text='{text}':fontsize=28:fontcolor=black:x=8:y=(h-text_h)/2",
            "-frames:v", "1", "-f", "rawvideo", "-pix_fmt", "rgb24", "pipe:1");
        return new FrameImage(width, height, ImmutableArray.Create(pixels));
    }
}
