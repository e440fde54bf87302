using Akka.Actor;
using Naeural.Actors.Inference;
using Naeural.Actors.Metering;
using Naeural.Actors.Telemetry;
using Naeural.Testing;
using Naeural.Inference.Models;
using Naeural.Inference.Serving;
using TorchSharp;
using TorchSharp.PyBridge;
using Xunit;
using static TorchSharp.torch;

namespace Naeural.Inference.Tests;

public sealed class ModelServerTests() : Akka.TestKit.Xunit2.TestKit(InferenceConfig.Hocon.WithFallback(Akka.Configuration.ConfigurationFactory.ParseString("akka.loglevel = WARNING"))), IDisposable
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);
    private readonly string _folder = Directory.CreateTempSubdirectory("naeural-models-").FullName;

    [Fact]
    public async Task Batched_inference_returns_each_caller_exactly_what_an_unbatched_forward_gives()
    {
        var mlp = ModelCatalogue.BuiltIn.Find("mlp")!;
        var weights = Path.Combine(_folder, "mlp.dat");
        using (var trained = ModelLoader.Load(mlp, null, CPU, seed: 7))
        {
            trained.save(weights);
        }

        var server = Sys.ActorOf(ModelServer.Props(mlp, new ModelServerSettings
        {
            MaxBatch = 16, MaxWait = TimeSpan.FromMilliseconds(20), Workers = 2, Weights = new Dictionary<string, string> { ["mlp"] = weights },
        }));
        using var metrics = new MetricsRecorder(NodeMetrics.For(Sys).Meter);
        var random = new Random(3);
        var inputs = Enumerable.Range(0, 64).Select(_ => Enumerable.Range(0, 64).Select(_ => (float)random.NextDouble()).ToArray()).ToArray();

        var answers = await Task.WhenAll(inputs.Select(i => server.Ask<InferenceResult>(new Infer("mlp", i), Bound)));

        using (var reference = ModelLoader.Load(mlp, weights, CPU))
        using (torch.no_grad()) // closed before the next await: grad mode belongs to the thread that opened the scope
        {
            for (var i = 0; i < inputs.Length; i++)
            {
                using var single = reference.forward(torch.tensor(inputs[i], [1, 64]));
                Assert.Equal(single.data<float>().ToArray(), answers[i].Output, (a, b) => Math.Abs(a - b) < 1e-5);
            }
        }

        var stats = await server.Ask<ModelServerStats>(GetModelServerStats.Instance, Bound);
        Assert.True(stats.LargestBatch > 1, $"requests were batched (largest batch {stats.LargestBatch})");
        Assert.True(stats.Batches < inputs.Length, $"{stats.Batches} forward passes for {inputs.Length} requests");
        Assert.Equal(64, stats.Requests);
        Assert.Equal(64, metrics.Sum("naeural.inferences", "model", "mlp"));
        Assert.Equal(stats.Batches, metrics.Values("naeural.inference.batch_size").Count);
        Assert.Equal(stats.LargestBatch, metrics.Values("naeural.inference.batch_size").Max());
    }

    [Fact]
    public async Task Requests_with_the_same_share_key_waiting_together_share_one_inference()
    {
        var server = Sys.ActorOf(ModelServer.Props(ModelCatalogue.BuiltIn.Find("anomaly-autoencoder")!,
            new ModelServerSettings { MaxBatch = 64, MaxWait = TimeSpan.FromMilliseconds(50) }));
        var window = Enumerable.Repeat(20f, ModelCatalogue.AnomalyWindow).ToArray();

        var answers = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => server.Ask<InferenceResult>(new Infer("anomaly-autoencoder", window, "pipe/window-7"), Bound)));

        Assert.All(answers, a => Assert.Equal(answers[0].Output, a.Output));
        var stats = await server.Ask<ModelServerStats>(GetModelServerStats.Instance, Bound);
        Assert.Equal(9, stats.Shared);
    }

    [Fact]
    public async Task A_worker_that_crashes_is_replaced_and_the_callers_of_its_batch_get_the_error()
    {
        var crashing = new ModelDescriptor("crashing", "test", [4], 2, () => new CrashingModel());
        var server = Sys.ActorOf(ModelServer.Props(crashing, new ModelServerSettings { MaxBatch = 1, Workers = 1 }));

        var failed = await server.Ask<InferenceFailed>(new Infer("crashing", [-1, 0, 0, 0]), Bound);
        Assert.Contains("negative input crashed the kernel", failed.Reason);

        var after = await server.Ask<InferenceResult>(new Infer("crashing", [1, 0, 0, 0]), Bound);
        Assert.Equal(2, after.Output.Length);
    }

    [Fact]
    public async Task A_batch_handed_to_a_busy_worker_is_answered_when_the_worker_crashes_and_cannot_load_again()
    {
        // The first model loads; after the crash the worker restarts and its model no longer loads (weights gone), so the
        // server retires: the batch it had already handed to that worker, behind the crashing one, must be answered too.
        var loads = 0;
        var fragile = new ModelDescriptor("fragile", "test", [4], 2,
            () => Interlocked.Increment(ref loads) == 1 ? new CrashingModel() : throw new ModelLoadException("the weights are gone"));
        var server = Sys.ActorOf(ModelServer.Props(fragile, new ModelServerSettings { MaxBatch = 2, Workers = 1 }));
        await server.Ask<InferenceResult>(new Infer("fragile", [1, 0, 0, 0]), Bound); // loaded

        float[][] inputs = [[-1, 0, 0, 0], [1, 0, 0, 0], [1, 0, 0, 0], [1, 0, 0, 0]];
        var answers = await Task.WhenAll(inputs.Select(i => server.Ask<object>(new Infer("fragile", i), Bound)));

        Assert.All(answers, a => Assert.IsType<InferenceFailed>(a));
        Assert.Contains(answers.Cast<InferenceFailed>(), a => a.Reason.Contains("the weights are gone"));
    }

    [Fact]
    public async Task A_model_whose_workers_keep_crashing_answers_every_caller_and_a_fresh_server_takes_over()
    {
        var catalogue = ModelCatalogue.BuiltIn.With(new ModelDescriptor("crashing", "test", [4], 2, () => new CrashingModel()));
        var service = Sys.ActorOf(InferenceService.Props(catalogue, new ModelServerSettings { MaxBatch = 1, Workers = 1 }));

        var answers = new List<object>();
        for (var i = 0; i < 15; i++)
        {
            answers.Add(await service.Ask<object>(new Infer("crashing", [-1, 0, 0, 0], CorrelationId: i), Bound));
        }

        Assert.All(answers, a => Assert.IsType<InferenceFailed>(a));
        await AwaitAssertAsync(async () => Assert.IsType<InferenceResult>(await service.Ask<object>(new Infer("crashing", [1, 0, 0, 0]), Bound)),
            Bound, TimeSpan.FromMilliseconds(200));
    }

    [Theory]
    [InlineData("small.dat")]
    [InlineData("small.pt")]
    [InlineData("small.safetensors")]
    public async Task A_weight_file_with_the_wrong_shapes_is_refused_with_a_clear_message(string file)
    {
        var path = Path.Combine(_folder, file);
        using (var wrong = new Mlp(64, 32, 8))
        {
            switch (Path.GetExtension(file))
            {
                case ".pt":
                    wrong.save_py(path);
                    break;
                case ".safetensors":
                    wrong.save_safetensors(path);
                    break;
                default:
                    wrong.save(path);
                    break;
            }
        }

        var mlp = ModelCatalogue.BuiltIn.Find("mlp")!;
        var error = Assert.Throws<ModelLoadException>(() => ModelLoader.Load(mlp, path, CPU));
        Assert.Contains($"weights in '{file}' don't fit model 'mlp'", error.Message);
        if (!file.EndsWith(".dat", StringComparison.Ordinal))
        {
            Assert.Contains("'_hidden.weight' is [32, 64] in the file, the model needs [128, 64]", error.Message);
        }

        // Asked after its workers failed to load (the server has retired by then), it still answers with the reason.
        var server = await EventFilter.Error(contains: "could not be loaded").ExpectOneAsync(Bound, () =>
            Task.FromResult(Sys.ActorOf(ModelServer.Props(mlp, new ModelServerSettings { Weights = new Dictionary<string, string> { ["mlp"] = path } }))));
        var failed = await server.Ask<InferenceFailed>(new Infer("mlp", new float[64]), Bound);
        Assert.Contains("don't fit model 'mlp'", failed.Reason);
    }

    [Theory]
    [InlineData("mlp.pt")]
    [InlineData("mlp.safetensors")]
    public void PyTorch_state_dicts_load_into_the_model_they_were_saved_from(string file)
    {
        var path = Path.Combine(_folder, file);
        var mlp = ModelCatalogue.BuiltIn.Find("mlp")!;
        var input = torch.rand(3, 64);
        float[] expected;
        using (var original = ModelLoader.Load(mlp, null, CPU, seed: 11))
        using (torch.no_grad())
        {
            expected = original.forward(input).data<float>().ToArray();
            if (file.EndsWith(".pt", StringComparison.Ordinal))
            {
                original.save_py(path);
            }
            else
            {
                original.save_safetensors(path);
            }
        }

        using var loaded = ModelLoader.Load(mlp, path, CPU, seed: 99);
        using var noGrad = torch.no_grad();
        Assert.Equal(expected, loaded.forward(input).data<float>().ToArray(), (a, b) => Math.Abs(a - b) < 1e-6);
    }

    [Fact]
    public async Task A_model_server_without_requests_stops_after_its_idle_time_and_starts_again_on_demand()
    {
        // Idle for 2 s: long enough that the server is still there when the test asks right after its answer (at 300 ms a
        // pause of the loaded 2-core CI machine between the two asks let it retire first), short enough to watch it retire.
        var service = Sys.ActorOf(InferenceService.Props(ModelCatalogue.BuiltIn, new ModelServerSettings { IdleTimeout = TimeSpan.FromSeconds(2) }));
        await service.Ask<InferenceResult>(new Infer("mlp", new float[64]), Bound);
        Assert.Equal<string>(["mlp"], (await service.Ask<LoadedModels>(GetLoadedModels.Instance, Bound)).Models);

        await AwaitAssertAsync(async () => Assert.Empty((await service.Ask<LoadedModels>(GetLoadedModels.Instance, Bound)).Models),
            TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(100));

        Assert.Equal(8, (await service.Ask<InferenceResult>(new Infer("mlp", new float[64]), Bound)).Output.Length);
    }

    [Fact]
    public async Task Requests_that_reach_a_server_as_it_retires_are_answered_by_a_fresh_one()
    {
        // A server idle for 1 ms retires between almost any two requests: none may be lost to a stopping server.
        var service = Sys.ActorOf(InferenceService.Props(ModelCatalogue.BuiltIn, new ModelServerSettings { IdleTimeout = TimeSpan.FromMilliseconds(1) }));
        var input = Enumerable.Repeat(0.5f, 64).ToArray();

        for (var i = 0; i < 100; i++)
        {
            var answers = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => service.Ask<object>(new Infer("mlp", input), TimeSpan.FromSeconds(10))));
            Assert.All(answers, a => Assert.IsType<InferenceResult>(a));
        }
    }

    [Fact]
    public async Task Unknown_models_and_wrong_input_sizes_are_answered_with_the_reason()
    {
        var service = Sys.ActorOf(InferenceService.Props(ModelCatalogue.BuiltIn, new ModelServerSettings()));

        var unknown = await service.Ask<InferenceFailed>(new Infer("gpt-9", [1f]), Bound);
        var wrongSize = await service.Ask<InferenceFailed>(new Infer("mlp", [1f, 2f]), Bound);

        Assert.Contains("unknown model 'gpt-9'", unknown.Reason);
        Assert.Contains("model 'mlp' takes 64", wrongSize.Reason);
        Assert.Equal<string>(["mlp"], (await service.Ask<LoadedModels>(GetLoadedModels.Instance, Bound)).Models);
    }

    [Fact]
    public async Task Answered_samples_are_reported_to_the_work_meter_for_the_owner_and_pipeline_that_asked()
    {
        var meter = CreateTestProbe();
        Akka.Hosting.ActorRegistry.For(Sys).Register<WorkMeter>(meter.Ref); // where the node's meter is found
        var server = Sys.ActorOf(ModelServer.Props(ModelCatalogue.BuiltIn.Find("mlp")!,
            new ModelServerSettings { MaxBatch = 4, MaxWait = TimeSpan.FromMilliseconds(20) }));

        await Task.WhenAll(Enumerable.Range(0, 6)
            .Select(_ => server.Ask<InferenceResult>(new Infer("mlp", new float[64], Owner: "0xa11ce", PipelineId: "0xa11ce/cam"), Bound))
            .Append(server.Ask<InferenceResult>(new Infer("mlp", new float[64]), Bound)));

        var reports = new List<WorkDone>();
        while (reports.Sum(r => r.Units) < 6)
        {
            reports.Add(meter.ExpectMsg<WorkDone>(Bound));
        }

        Assert.All(reports, r => Assert.Equal(("0xa11ce", "0xa11ce/cam", "mlp", WorkKinds.InferenceSample), (r.Owner, r.PipelineId, r.Source, r.Kind)));
        meter.ExpectNoMsg(TimeSpan.FromMilliseconds(300)); // the request without an owner is not billed
    }

    public new void Dispose()
    {
        Directory.Delete(_folder, recursive: true);
        base.Dispose();
    }
}
