using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Naeural.Inference.Models;

/// <summary>
/// ONNX model files (<see cref="ModelEngine.Onnx"/>): what one takes and gives, checked before it is served, and the ONNX
/// Runtime session that runs it. A servable file has one float tensor in and one float tensor out, the batch dimension first
/// and dynamic (the model server batches across pipelines), every other dimension fixed: by the file, or by its model card
/// (<see cref="OnnxModelCard"/>) where the file leaves a picture's sides dynamic.
/// </summary>
public static class OnnxModels
{
    /// <summary>The file name extension of an ONNX model in a node's <c>models/</c> folder.</summary>
    public const string Extension = ".onnx";

    /// <summary>The longest side a model card may give a dimension (a picture's side, a sequence's length).</summary>
    public const int MaxSide = 4096;

    /// <summary>The most values one sample of a served model may take (a 3 × 2048 × 2048 picture is about 12.6 M).</summary>
    public const long MaxSampleValues = 16L * 1024 * 1024;

    /// <summary>True where ONNX Runtime has its CUDA provider (the <c>NaeuralCuda</c> build, on a machine with a GPU).</summary>
    public static bool CudaAvailable { get; } = OrtEnv.Instance().GetAvailableProviders().Contains("CUDAExecutionProvider");

    /// <summary>
    /// The model in <paramref name="path"/>, served as <paramref name="name"/>. Where it takes the place of a catalogue model
    /// (<paramref name="replaces"/>, e.g. a TorchSharp model exported to ONNX), what it takes and gives must be the same.
    /// Throws <see cref="ModelLoadException"/> naming the file's input and output (names and shapes) and what was needed.
    /// </summary>
    public static ModelDescriptor Describe(string name, string path, ModelDescriptor? replaces = null)
    {
        using var session = Open(name, path, threads: 1, cuda: false);
        var file = Path.GetFileName(path);
        var signature = Signature(session);
        if (session.InputMetadata.Count != 1 || session.OutputMetadata.Count != 1)
        {
            throw new ModelLoadException($"ONNX model '{name}' ({file}) {signature}: a served model takes one tensor and gives one");
        }

        var (input, output) = (session.InputMetadata.Single().Value, session.OutputMetadata.Single().Value);
        if (!input.IsTensor || input.ElementType != typeof(float) || !output.IsTensor || output.ElementType != typeof(float))
        {
            throw new ModelLoadException($"ONNX model '{name}' ({file}) {signature}: a served model takes and gives float tensors");
        }

        if (input.Dimensions.Length < 2 || output.Dimensions.Length < 2 || input.Dimensions[0] > 0 || output.Dimensions[0] > 0)
        {
            throw new ModelLoadException($"ONNX model '{name}' ({file}) {signature}: the first dimension of both must be a dynamic batch " +
                                         "(export it with a dynamic batch axis)");
        }

        var card = OnnxModelCard.Read(name, path);
        long[] shape = card?.Input is { } fixedShape
            ? Fix(name, file, signature, input.Dimensions, fixedShape)
            : [.. input.Dimensions.Skip(1).Select(d => (long)d)];
        if (shape.Any(d => d <= 0))
        {
            throw new ModelLoadException($"ONNX model '{name}' ({file}) {signature}: every dimension but the batch must be fixed, " +
                                         $"or fixed by a model card {name}{OnnxModelCard.Extension} (e.g. {{\"input\": [3, 48, 320]}})");
        }

        if (shape.Aggregate(1.0, (a, b) => a * b) > MaxSampleValues)
        {
            throw new ModelLoadException($"ONNX model '{name}' ({file}) {signature}: a sample of [{string.Join(", ", shape)}] is over " +
                                         $"{MaxSampleValues} values");
        }

        var outputs = output.Dimensions.Skip(1).All(d => d > 0)
            ? output.Dimensions.Skip(1).Aggregate(1L, (a, b) => a * b)
            : Probe(name, file, signature, session, shape);
        if (replaces is not null && (!shape.SequenceEqual(replaces.InputShape) || outputs != replaces.OutputSize))
        {
            throw new ModelLoadException($"ONNX model '{name}' ({file}) {signature}: model '{replaces.Name}' takes " +
                                         $"[batch, {string.Join(", ", replaces.InputShape)}] and gives {replaces.OutputSize} value(s) a sample");
        }

        return new ModelDescriptor(name, replaces?.Description ?? $"ONNX model {file}", shape, outputs,
            () => throw new ModelLoadException($"model '{name}' runs on ONNX Runtime, not TorchSharp")) { OnnxFile = path };
    }

    /// <summary>The file's input dimensions (batch first) with its dynamic ones fixed by the card's sample shape.</summary>
    private static long[] Fix(string name, string file, string signature, int[] dimensions, long[] card)
    {
        var fits = card.Length == dimensions.Length - 1 && card.All(d => d is > 0 and <= MaxSide) &&
                   card.Select((d, i) => dimensions[i + 1] <= 0 || dimensions[i + 1] == d).All(ok => ok);
        if (!fits)
        {
            throw new ModelLoadException($"ONNX model '{name}' ({file}) {signature}: its card's input [batch, {string.Join(", ", card)}] " +
                                         $"does not fit (each dimension 1 to {MaxSide}, the file's fixed ones kept)");
        }

        return card;
    }

    /// <summary>The size of one sample's output, where the file leaves it dynamic: one zero sample is run.</summary>
    private static long Probe(string name, string file, string signature, InferenceSession session, long[] shape)
    {
        var sample = new DenseTensor<float>(new float[shape.Aggregate(1L, (a, b) => a * b)], [1, .. shape.Select(d => (int)d)]);
        try
        {
            using var results = session.Run([NamedOnnxValue.CreateFromTensor(session.InputNames[0], sample)]);
            var dimensions = results[0].AsTensor<float>().Dimensions;
            return dimensions.Length >= 2 && dimensions[0] == 1
                ? dimensions[1..].ToArray().Aggregate(1L, (a, b) => a * b)
                : throw new ModelLoadException($"ONNX model '{name}' ({file}) {signature}: one sample gave an output of " +
                                               $"[{string.Join(", ", dimensions.ToArray())}], not [1, ...]");
        }
        catch (OnnxRuntimeException e)
        {
            throw new ModelLoadException($"ONNX model '{name}' ({file}) {signature}: it can't run a sample of [1, {string.Join(", ", shape)}]: {e.Message}", e);
        }
    }

    /// <summary>
    /// An ONNX Runtime session for <paramref name="path"/> on the CPU (all graph optimisations, <paramref name="threads"/>
    /// intra-op threads). Sessions are thread-safe: one is shared by a server's workers.
    /// </summary>
    public static InferenceSession Open(string name, string path, int threads, bool cuda) => OpenOn(name, path, threads, cuda).Session;

    /// <summary>
    /// <see cref="Open"/>, on the GPU where <paramref name="cuda"/> and its provider starts (a CUDA build on a machine without a
    /// usable GPU falls back to the CPU); says which it got.
    /// </summary>
    public static (InferenceSession Session, bool OnCuda) OpenOn(string name, string path, int threads, bool cuda)
    {
        if (!File.Exists(path))
        {
            throw new ModelLoadException($"ONNX model '{name}': file '{path}' does not exist");
        }

        if (cuda)
        {
            try
            {
                return (Create(name, path, threads, cuda: true), true);
            }
            catch (OnnxRuntimeException)
            {
                // No usable GPU for ONNX Runtime's CUDA provider here: the CPU serves (a bad file fails there too, with its reason).
            }
        }

        return (Create(name, path, threads, cuda: false), false);
    }

    private static InferenceSession Create(string name, string path, int threads, bool cuda)
    {
        using var options = new SessionOptions
        {
            IntraOpNumThreads = Math.Max(1, threads),
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        };
        if (cuda)
        {
            options.AppendExecutionProvider_CUDA(0);
        }

        try
        {
            return new InferenceSession(path, options);
        }
        catch (OnnxRuntimeException e) when (!cuda)
        {
            throw new ModelLoadException($"ONNX model '{name}': '{Path.GetFileName(path)}' is not a model ONNX Runtime can load: {e.Message}", e);
        }
    }

    /// <summary>"takes input 'x' [?, 64] and gives output 'y' [?, 8]": the names and shapes of a session's tensors.</summary>
    private static string Signature(InferenceSession session)
    {
        static string Describe(IReadOnlyDictionary<string, NodeMetadata> tensors, string kind) => tensors.Count == 0
            ? $"no {kind}"
            : string.Join(", ", tensors.Select(t => $"{kind} '{t.Key}' {(t.Value.IsTensor ? Shape(t.Value.Dimensions) : t.Value.OnnxValueType.ToString())}" +
                                                     (t.Value.IsTensor && t.Value.ElementType != typeof(float) ? $" of {t.Value.ElementType.Name}" : "")));

        return $"takes {Describe(session.InputMetadata, "input")} and gives {Describe(session.OutputMetadata, "output")}";
    }

    private static string Shape(int[] dimensions) => $"[{string.Join(", ", dimensions.Select(d => d > 0 ? d.ToString() : "?"))}]";
}
