using System.Collections.Immutable;
using Akka.Actor;
using Microsoft.ML.OnnxRuntime;
using Naeural.Inference.Models;

namespace Naeural.Inference.Serving;

/// <summary>
/// One model server's ONNX Runtime session, opened by the first of its workers that starts and shared by all of them: a
/// session is thread-safe and holds the weights once, so the pool's workers run batches on it at the same time, each on its
/// own pinned thread (the same shape as the TorchSharp pool, without a copy of the model per worker); the intra-op thread
/// pool (<c>ThreadsPerWorker</c>) belongs to the session, shared by the workers' runs. A file that can't be opened fails
/// every worker with the same reason. Closed by the server when it stops or restarts: the close waits for runs under way,
/// and a run after it fails (its batch is answered with the error).
/// </summary>
public sealed class SharedOnnxSession(ModelDescriptor model, ModelServerSettings settings) : IDisposable
{
    private readonly Lazy<(InferenceSession Session, bool OnCuda)> _session = new(
        () => OnnxModels.OpenOn(model.Name, model.OnnxFile!, settings.ThreadsPerWorker, OnnxModels.CudaAvailable),
        LazyThreadSafetyMode.ExecutionAndPublication);

    private readonly ReaderWriterLockSlim _closing = new();
    private bool _closed;

    /// <summary>Opens the session; throws <see cref="ModelLoadException"/> where the file can't be opened.</summary>
    public InferenceSession Session => _session.Value.Session;

    public string Device => _session.IsValueCreated && _session.Value.OnCuda ? "onnx: cuda" : "onnx: cpu";

    /// <summary>Runs <paramref name="run"/> on the session, never on a closed one.</summary>
    public T Use<T>(Func<InferenceSession, T> run)
    {
        _closing.EnterReadLock();
        try
        {
            ObjectDisposedException.ThrowIf(_closed, this);
            return run(Session);
        }
        finally
        {
            _closing.ExitReadLock();
        }
    }

    public void Dispose()
    {
        _closing.EnterWriteLock();
        try
        {
            if (!_closed && _session.IsValueCreated)
            {
                _session.Value.Session.Dispose();
            }

            _closed = true;
        }
        finally
        {
            _closing.ExitWriteLock();
        }
    }
}

/// <summary>
/// One pooled worker of a <see cref="ModelServer"/> serving an ONNX model: runs whole batches on the server's shared session,
/// on its own pinned thread (<see cref="TorchWorker.Dispatcher"/>). A batch that throws is answered with
/// <see cref="BatchFailed"/> first, then the exception restarts the worker.
/// </summary>
public sealed class OnnxWorker : ReceiveActor
{
    private readonly ModelDescriptor _model;
    private readonly SharedOnnxSession _shared;
    private bool _loaded;
    private string[] _inputNames = [];
    private string[] _outputNames = [];

    public OnnxWorker(ModelDescriptor model, SharedOnnxSession shared)
    {
        _model = model;
        _shared = shared;
        Receive<RunBatch>(Run);
    }

    public static Props Props(ModelDescriptor model, SharedOnnxSession shared) =>
        Akka.Actor.Props.Create(() => new OnnxWorker(model, shared)).WithDispatcher(TorchWorker.Dispatcher);

    protected override void PreStart()
    {
        try
        {
            var session = _shared.Session;
            _inputNames = [.. session.InputNames];
            _outputNames = [.. session.OutputNames];
            _loaded = true;
            Context.Parent.Tell(new WorkerReady(_shared.Device));
        }
        catch (Exception e) when (e is ModelLoadException or OnnxRuntimeException or DllNotFoundException or TypeInitializationException)
        {
            Context.Parent.Tell(new WorkerLoadFailed(e is ModelLoadException ? e.Message : $"ONNX Runtime could not start: {e.Message}"));
        }
    }

    private void Run(RunBatch batch)
    {
        if (!_loaded)
        {
            Sender.Tell(new BatchFailed(batch.BatchId, "model is not loaded"));
            return;
        }

        try
        {
            Sender.Tell(new BatchDone(batch.BatchId, _shared.Use(session => Forward(session, _inputNames, _outputNames, _model, batch.Inputs))));
        }
        catch (Exception e)
        {
            Sender.Tell(new BatchFailed(batch.BatchId, $"forward pass failed: {e.Message}"));
            throw;
        }
    }

    /// <summary>One forward pass of <paramref name="inputs"/> as a batch; outputs in input order.</summary>
    public static ImmutableArray<float[]> Forward(InferenceSession session, string[] inputNames, string[] outputNames, ModelDescriptor model,
        ImmutableArray<float[]> inputs)
    {
        var flat = new float[inputs.Length * model.InputSize];
        for (var i = 0; i < inputs.Length; i++)
        {
            inputs[i].CopyTo(flat, i * model.InputSize);
        }

        using var input = OrtValue.CreateTensorValueFromMemory(flat, [inputs.Length, .. model.InputShape]);
        using var runOptions = new RunOptions();
        using var results = session.Run(runOptions, inputNames, [input], outputNames);
        var values = results[0].GetTensorDataAsSpan<float>();
        var width = checked((int)model.OutputSize);
        if (values.Length != checked(inputs.Length * width))
        {
            throw new InvalidDataException($"model '{model.Name}' gave {values.Length} values for {inputs.Length} sample(s), not {width} each");
        }

        var outputs = ImmutableArray.CreateBuilder<float[]>(inputs.Length);
        for (var i = 0; i < inputs.Length; i++)
        {
            outputs.Add(values.Slice(i * width, width).ToArray());
        }

        return outputs.MoveToImmutable();
    }
}
