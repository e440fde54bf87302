using Akka.Actor;
using BenchmarkDotNet.Attributes;
using Naeural.Inference.Models;
using Naeural.Inference.Serving;
using TorchSharp;
using static TorchSharp.torch;

namespace Naeural.Benchmarks.Inference;

/// <summary>
/// What the actor layer costs inference: the image CNN (1×28×28 → 10) run raw with TorchSharp at batch 1 and batch 32 (the
/// baseline), and through a <see cref="ModelServer"/> (one pooled worker, MAX_BATCH 32, MAX_WAIT 2 ms) fed by 64 concurrent
/// callers, in one run. Ratio is time per sample over raw batch 32 (the goal: at most 1.25, i.e. at least 0.8 of its throughput).
/// </summary>
[Config(typeof(InProcessConfig))]
public class ModelServing
{
    private const int Callers = 64;
    private const int Requests = 4096;
    private readonly ModelDescriptor _model = ModelCatalogue.BuiltIn.Find("image-cnn")!;
    private nn.Module<Tensor, Tensor> _raw = null!;
    private Tensor _batch1 = null!;
    private Tensor _batch32 = null!;
    private float[][] _inputs = null!;
    private ActorSystem _system = null!;
    private IActorRef _server = null!;

    [GlobalSetup]
    public void Setup()
    {
        torch.set_num_threads(Environment.ProcessorCount);
        _raw = ModelLoader.Load(_model, null, CPU);
        _batch1 = torch.rand(1, 1, 28, 28);
        _batch32 = torch.rand(32, 1, 28, 28);
        var random = new Random(1);
        _inputs = [.. Enumerable.Range(0, 256).Select(_ => Enumerable.Range(0, 784).Select(_ => (float)random.NextDouble()).ToArray())];
        _system = ActorSystem.Create("bench", InferenceConfig.Hocon.WithFallback(Akka.Configuration.ConfigurationFactory.ParseString("akka.loglevel = WARNING")));
        _server = _system.ActorOf(ModelServer.Props(_model, new ModelServerSettings { MaxBatch = 32, MaxWait = TimeSpan.FromMilliseconds(2), Workers = 1 }));
        RunServer(256).GetAwaiter().GetResult(); // the worker has loaded its model
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        var stats = _server.Ask<ModelServerStats>(GetModelServerStats.Instance, TimeSpan.FromSeconds(10)).GetAwaiter().GetResult();
        Console.WriteLine($"// model server: {stats.Requests} requests in {stats.Batches} batches (mean {(double)stats.Requests / Math.Max(1, stats.Batches):F1}, largest {stats.LargestBatch})");
        _system.Terminate().Wait();
        _raw.Dispose();
    }

    [Benchmark(Description = "raw TorchSharp, batch 1")]
    public float RawBatch1()
    {
        using var noGrad = torch.no_grad();
        using var output = _raw.forward(_batch1);
        return output[0, 0].item<float>();
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = 32, Description = "raw TorchSharp, batch 32")]
    public float RawBatch32()
    {
        using var noGrad = torch.no_grad();
        using var output = _raw.forward(_batch32);
        return output[0, 0].item<float>();
    }

    [Benchmark(OperationsPerInvoke = 32, Description = "raw TorchSharp, batch 32 from 32 float[] (the worker's copy in and out)")]
    public float RawBatch32FromArrays()
    {
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var flat = new float[32 * 784];
        for (var i = 0; i < 32; i++)
        {
            _inputs[i].CopyTo(flat, i * 784);
        }

        var output = _raw.forward(torch.tensor(flat, [32, 1, 28, 28])).reshape(32, -1);
        var values = output.data<float>().ToArray();
        return values[0];
    }

    [Benchmark(OperationsPerInvoke = Requests, Description = "model server, 64 concurrent callers")]
    public Task ModelServer64Callers() => RunServer(Requests);

    private Task RunServer(long total) => InferenceLoads.RunAsync(_system, _server, _model.Name, _inputs, Callers, total);
}
