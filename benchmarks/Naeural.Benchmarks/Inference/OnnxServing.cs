using Akka.Actor;
using BenchmarkDotNet.Attributes;
using Microsoft.ML.OnnxRuntime;
using Naeural.Inference.Models;
using Naeural.Inference.Serving;
using TorchSharp;
using static TorchSharp.torch;

namespace Naeural.Benchmarks.Inference;

/// <summary>
/// The ONNX engine, in one run: a perceptron (1024 → 2048 → 16, about 2.1 M multiply-adds a sample) exported from TorchSharp
/// to ONNX, run raw on an ONNX Runtime session at batch 32 (the baseline) and batch 1, raw on TorchSharp at batch 32 (the same
/// network and weights: ONNX against TorchSharp), and through a <see cref="ModelServer"/> on the ONNX engine (one pooled
/// worker, MAX_BATCH 32, MAX_WAIT 2 ms) fed by 64 concurrent callers. Ratio is time per sample over raw ONNX at batch 32; the
/// goal for the model server is at most 1.11 (at least 0.9 of raw throughput).
/// </summary>
[Config(typeof(InProcessConfig))]
public class OnnxServing
{
    private const int Callers = 64;
    private const int Requests = 2048;
    private const int Inputs = 1024;
    private readonly string _folder = Directory.CreateTempSubdirectory("naeural-onnx-bench-").FullName;
    private ModelDescriptor _model = null!;
    private Mlp _torch = null!;
    private InferenceSession _session = null!;
    private string[] _inputNames = null!;
    private string[] _outputNames = null!;
    private Tensor _torchBatch32 = null!;
    private float[][] _inputs = null!;
    private System.Collections.Immutable.ImmutableArray<float[]> _batch1;
    private System.Collections.Immutable.ImmutableArray<float[]> _batch32;
    private ActorSystem _system = null!;
    private IActorRef _server = null!;

    [GlobalSetup]
    public void Setup()
    {
        var threads = Environment.ProcessorCount;
        torch.set_num_threads(threads);
        torch.manual_seed(1);
        _torch = new Mlp(Inputs, 2048, 16);
        _torch.eval();
        var path = Path.Combine(_folder, "bench-mlp.onnx");
        OnnxExport.Mlp(_torch, path);
        _model = OnnxModels.Describe("bench-mlp", path);
        _session = OnnxModels.Open(_model.Name, path, threads, cuda: false);
        (_inputNames, _outputNames) = ([.. _session.InputNames], [.. _session.OutputNames]);

        var random = new Random(1);
        _inputs = [.. Enumerable.Range(0, 256).Select(_ => Enumerable.Range(0, Inputs).Select(_ => (float)random.NextDouble()).ToArray())];
        _batch1 = [_inputs[0]];
        _batch32 = [.. _inputs.Take(32)];
        _torchBatch32 = torch.tensor(_inputs.Take(32).SelectMany(i => i).ToArray(), [32, Inputs]);

        _system = ActorSystem.Create("bench", InferenceConfig.Hocon.WithFallback(Akka.Configuration.ConfigurationFactory.ParseString("akka.loglevel = WARNING")));
        _server = _system.ActorOf(ModelServer.Props(_model, new ModelServerSettings
        {
            MaxBatch = 32, MaxWait = TimeSpan.FromMilliseconds(2), Workers = 1, ThreadsPerWorker = threads,
        }));
        RunServer(256).GetAwaiter().GetResult(); // the worker has opened the session
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        var stats = _server.Ask<ModelServerStats>(GetModelServerStats.Instance, TimeSpan.FromSeconds(10)).GetAwaiter().GetResult();
        Console.WriteLine($"// model server: {stats.Requests} requests in {stats.Batches} batches (mean {(double)stats.Requests / Math.Max(1, stats.Batches):F1}, largest {stats.LargestBatch})");
        _system.Terminate().Wait();
        _session.Dispose();
        _torch.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    [Benchmark(Description = "raw ONNX Runtime, batch 1")]
    public int RawOnnxBatch1() => OnnxWorker.Forward(_session, _inputNames, _outputNames, _model, _batch1).Length;

    [Benchmark(Baseline = true, OperationsPerInvoke = 32, Description = "raw ONNX Runtime, batch 32")]
    public int RawOnnxBatch32() => OnnxWorker.Forward(_session, _inputNames, _outputNames, _model, _batch32).Length;

    [Benchmark(OperationsPerInvoke = 32, Description = "raw TorchSharp, batch 32 (same network)")]
    public float RawTorchBatch32()
    {
        using var noGrad = torch.no_grad();
        using var output = _torch.forward(_torchBatch32);
        return output[0, 0].item<float>();
    }

    [Benchmark(OperationsPerInvoke = Requests, Description = "model server on ONNX, 64 concurrent callers")]
    public Task ModelServer64Callers() => RunServer(Requests);

    private Task RunServer(long total) => InferenceLoads.RunAsync(_system, _server, _model.Name, _inputs, Callers, total);
}
