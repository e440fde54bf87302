using Akka.Actor;
using Naeural.Actors.Inference;
using Naeural.Inference.Models;
using Naeural.Inference.Serving;
using TorchSharp;
using Xunit;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Naeural.Inference.Tests;

/// <summary>
/// ONNX Runtime beside TorchSharp: the same network exported to ONNX answers like TorchSharp through the same model server,
/// batched like it; a file that can't be served (corrupt, another shape) is named with its reason and the node serves the
/// rest.
/// </summary>
public sealed class OnnxEngineTests(ITestOutputHelper output)
    : Akka.TestKit.Xunit2.TestKit(InferenceConfig.Hocon.WithFallback(Akka.Configuration.ConfigurationFactory.ParseString("akka.loglevel = WARNING"))), IDisposable
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);
    private readonly string _data = Directory.CreateTempSubdirectory("naeural-onnx-").FullName;

    private string Models => Directory.CreateDirectory(ModelFiles.FolderOf(_data)).FullName;

    [Fact]
    public async Task The_same_network_exported_to_ONNX_answers_like_TorchSharp_through_the_model_server_batched()
    {
        var mlp = ModelCatalogue.BuiltIn.Find("mlp")!;
        var weights = Path.Combine(Models, "mlp.dat");
        using (var trained = (Mlp)ModelLoader.Load(mlp, null, CPU, seed: 11))
        {
            trained.save(weights);
            OnnxExport.Mlp(trained, Path.Combine(Models, "mlp-onnx.onnx"));
        }

        var (catalogue, problems) = ModelFiles.WithOnnxModels(_data, ModelCatalogue.BuiltIn);
        Assert.Empty(problems);
        var onnx = catalogue.Find("mlp-onnx")!;
        Assert.Equal((ModelEngine.Onnx, 64L, 8L), (onnx.Engine, onnx.InputSize, onnx.OutputSize));
        var settings = new ModelServerSettings { MaxBatch = 16, MaxWait = TimeSpan.FromMilliseconds(20), Workers = 2, DataDirectory = _data };
        var service = Sys.ActorOf(InferenceService.Props(catalogue, settings));
        var random = new Random(5);
        var inputs = Enumerable.Range(0, 64).Select(_ => Enumerable.Range(0, 64).Select(_ => (float)random.NextDouble() * 2 - 1).ToArray()).ToArray();

        var torchAnswers = await Task.WhenAll(inputs.Select(i => service.Ask<InferenceResult>(new Infer("mlp", i), Bound)));
        var onnxAnswers = await Task.WhenAll(inputs.Select(i => service.Ask<InferenceResult>(new Infer("mlp-onnx", i), Bound)));

        var difference = torchAnswers.Zip(onnxAnswers, (t, o) => t.Output.Zip(o.Output, (a, b) => Math.Abs(a - b)).Max()).Max();
        output.WriteLine($"max abs difference, TorchSharp vs ONNX Runtime over {inputs.Length}x8 outputs: {difference:E2}");
        Assert.True(difference < 1e-4, $"max abs difference {difference}");

        // Batched on ONNX Runtime: each caller gets what its sample alone gives.
        var stats = await service.Ask<ModelServerStats>(new GetModelServerStatsFor("mlp-onnx"), Bound);
        Assert.True(stats.LargestBatch > 1, $"requests were batched (largest batch {stats.LargestBatch})");
        Assert.StartsWith("onnx", stats.Device);
        using var session = OnnxModels.Open("mlp-onnx", onnx.OnnxFile!, threads: 1, cuda: false);
        for (var i = 0; i < inputs.Length; i++)
        {
            var alone = OnnxWorker.Forward(session, [.. session.InputNames], [.. session.OutputNames], onnx, [inputs[i]]).Single();
            Assert.Equal(alone, onnxAnswers[i].Output, (a, b) => Math.Abs(a - b) < 1e-5);
        }
    }

    [Fact]
    public async Task A_corrupt_or_misshapen_model_file_is_named_with_its_reason_and_the_other_models_are_served()
    {
        await File.WriteAllBytesAsync(Path.Combine(Models, "broken.onnx"), [0x08, 0x07, 0xff, 0x13, 0x42, 0x00, 0x99]);
        using (var small = new Mlp(32, 16, 8))
        {
            OnnxExport.Mlp(small, Path.Combine(Models, "mlp.onnx")); // would replace the catalogue's mlp, which takes 64 values
        }

        var (catalogue, problems) = ModelFiles.WithOnnxModels(_data, ModelCatalogue.BuiltIn);

        Assert.Equal(2, problems.Count);
        Assert.Contains(problems, p => p.Contains("'broken'") && p.Contains("is not a model ONNX Runtime can load"));
        Assert.Contains(problems, p => p.Contains("takes input 'input' [?, 32] and gives output 'output' [?, 8]")
                                       && p.Contains("model 'mlp' takes [batch, 64] and gives 8"));
        Assert.Null(catalogue.Find("broken"));
        Assert.Equal(ModelEngine.Torch, catalogue.Find("mlp")!.Engine); // the TorchSharp model is kept

        var service = Sys.ActorOf(InferenceService.Props(catalogue, new ModelServerSettings { DataDirectory = _data }));
        var unknown = await service.Ask<InferenceFailed>(new Infer("broken", new float[64]), Bound);
        Assert.Contains("unknown model 'broken'", unknown.Reason);
        Assert.Equal(8, (await service.Ask<InferenceResult>(new Infer("mlp", new float[64]), Bound)).Output.Length);
    }

    [Fact]
    public async Task A_model_file_that_breaks_after_start_fails_its_requests_with_the_reason_and_nothing_else()
    {
        var path = Path.Combine(Models, "fragile.onnx");
        using (var mlp = new Mlp(4, 4, 2))
        {
            OnnxExport.Mlp(mlp, path);
        }

        var (catalogue, _) = ModelFiles.WithOnnxModels(_data, ModelCatalogue.BuiltIn);
        await File.WriteAllTextAsync(path, "not a model any more");
        var service = Sys.ActorOf(InferenceService.Props(catalogue, new ModelServerSettings { Workers = 2, DataDirectory = _data }));

        var failed = await service.Ask<InferenceFailed>(new Infer("fragile", new float[4]), Bound);

        Assert.Contains("'fragile.onnx' is not a model ONNX Runtime can load", failed.Reason);
        Assert.Single((await service.Ask<InferenceResult>(new Infer("anomaly-autoencoder", new float[ModelCatalogue.AnomalyWindow]), Bound)).Output);
    }

    public new void Dispose()
    {
        base.Dispose();
        Directory.Delete(_data, recursive: true);
    }
}
