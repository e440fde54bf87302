using System.Collections.Frozen;
using TorchSharp;
using static TorchSharp.torch;

namespace Naeural.Inference.Models;

/// <summary>What runs a model's forward passes.</summary>
public enum ModelEngine
{
    /// <summary>A TorchSharp module defined in C# (<see cref="ModelDescriptor.Create"/>), with weights from the node's files.</summary>
    Torch,

    /// <summary>An ONNX file (exported from PyTorch, TensorFlow or anything else) run by ONNX Runtime.</summary>
    Onnx,
}

/// <summary>One servable model: how to build it, and what one sample going in and coming out looks like.</summary>
/// <param name="InputShape">The shape of one sample (the batch dimension comes in front).</param>
/// <param name="OutputSize">How many numbers one sample's result holds.</param>
public sealed record ModelDescriptor(string Name, string Description, long[] InputShape, long OutputSize, Func<nn.Module<Tensor, Tensor>> Create)
{
    public long InputSize => InputShape.Aggregate(1L, (a, b) => a * b);

    /// <summary>The engine that runs it: TorchSharp unless <see cref="OnnxFile"/> names a model file.</summary>
    public ModelEngine Engine => OnnxFile is null ? ModelEngine.Torch : ModelEngine.Onnx;

    /// <summary>The ONNX model file it runs (<see cref="ModelEngine.Onnx"/>); see <see cref="OnnxModels.Describe"/>.</summary>
    public string? OnnxFile { get; init; }
}

/// <summary>The models a node can serve, by name (case-insensitive); extended with <see cref="With"/>.</summary>
public sealed class ModelCatalogue
{
    /// <summary>The synthetic sensor windows the anomaly model scores.</summary>
    public const int AnomalyWindow = 32;

    private readonly FrozenDictionary<string, ModelDescriptor> _byName;

    private ModelCatalogue(IEnumerable<ModelDescriptor> models) =>
        _byName = models.ToFrozenDictionary(m => m.Name, StringComparer.OrdinalIgnoreCase);

    public static ModelCatalogue BuiltIn { get; } = new(
    [
        new("anomaly-autoencoder", $"Reconstruction-error anomaly score of a {AnomalyWindow}-reading window",
            [AnomalyWindow], 1, () => new AnomalyAutoencoder(AnomalyWindow)),
        new("mlp", "Two-layer perceptron, 64 inputs → 128 hidden → 8 outputs", [64], 8, () => new Mlp(64, 128, 8)),
        new("image-cnn", "Small CNN classifier for 28×28 grey images, 10 classes", [1, 28, 28], 10, () => new ImageCnn(10)),
    ]);

    public IEnumerable<string> Names => _byName.Keys.Order(StringComparer.Ordinal);

    public ModelDescriptor? Find(string name) => _byName.GetValueOrDefault(name);

    public ModelCatalogue With(ModelDescriptor model) =>
        new(_byName.Values.Where(m => !string.Equals(m.Name, model.Name, StringComparison.OrdinalIgnoreCase)).Append(model));
}
