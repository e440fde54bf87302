using System.Collections.Immutable;
using Akka.Actor;
using Naeural.Inference.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Naeural.Inference.Serving;

/// <summary>
/// One pooled worker of a <see cref="ModelServer"/>: owns a copy of the model (eval mode, on the chosen device) and runs
/// whole batches under <c>no_grad</c>, on its own pinned thread so forward passes never block the actor thread pool. A batch
/// that throws is answered with <see cref="BatchFailed"/> first, then the exception restarts the worker with a fresh model.
/// </summary>
public sealed class TorchWorker : ReceiveActor
{
    /// <summary>Each worker gets a thread of its own (<see cref="InferenceConfig"/> defines it).</summary>
    public const string Dispatcher = "naeural-inference-worker";

    private readonly ModelDescriptor _model;
    private readonly string? _weights;
    private readonly ModelServerSettings _settings;
    private nn.Module<Tensor, Tensor>? _module;
    private Device _device = CPU;
    private ScalarType _precision = ScalarType.Float32;

    public TorchWorker(ModelDescriptor model, string? weights, ModelServerSettings settings)
    {
        _model = model;
        _weights = weights;
        _settings = settings;
        Receive<RunBatch>(Run);
    }

    public static Props Props(ModelDescriptor model, string? weights, ModelServerSettings settings) =>
        Akka.Actor.Props.Create(() => new TorchWorker(model, weights, settings)).WithDispatcher(Dispatcher);

    protected override void PreStart()
    {
        try
        {
            torch.set_num_threads(_settings.ThreadsPerWorker);
            _device = InferenceDevice.Choose();
            _module = ModelLoader.Load(_model, _weights, _device);
            if (_device.type == DeviceType.CUDA && _settings.HalfPrecisionOnGpu)
            {
                _module = _module.half();
                _precision = ScalarType.Float16;
            }

            Context.Parent.Tell(new WorkerReady(_device.ToString()));
        }
        catch (Exception e) when (e is ModelLoadException or TypeInitializationException or DllNotFoundException or ArgumentException)
        {
            Context.Parent.Tell(new WorkerLoadFailed(e is ModelLoadException ? e.Message : $"TorchSharp could not start: {e.Message}"));
        }
    }

    protected override void PostStop() => _module?.Dispose();

    private void Run(RunBatch batch)
    {
        if (_module is null)
        {
            Sender.Tell(new BatchFailed(batch.BatchId, "model is not loaded"));
            return;
        }

        try
        {
            Sender.Tell(new BatchDone(batch.BatchId, Forward(batch.Inputs)));
        }
        catch (Exception e)
        {
            Sender.Tell(new BatchFailed(batch.BatchId, $"forward pass failed: {e.Message}"));
            throw;
        }
    }

    private ImmutableArray<float[]> Forward(ImmutableArray<float[]> inputs)
    {
        using var scope = NewDisposeScope();
        using var noGrad = torch.no_grad();
        var flat = new float[inputs.Length * _model.InputSize];
        for (var i = 0; i < inputs.Length; i++)
        {
            inputs[i].CopyTo(flat, i * _model.InputSize);
        }

        var input = torch.tensor(flat, [inputs.Length, .. _model.InputShape]).to(_device).to_type(_precision);
        var output = _module!.forward(input).to_type(ScalarType.Float32).cpu().reshape(inputs.Length, -1);
        var values = output.data<float>().ToArray();
        var width = (int)output.shape[1];
        return [.. Enumerable.Range(0, inputs.Length).Select(i => values.AsSpan(i * width, width).ToArray())];
    }
}
