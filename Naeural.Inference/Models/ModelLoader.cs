using TorchSharp;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace Naeural.Inference.Models;

/// <summary>A weight file that can't be used for a model, with the reason (missing/unexpected keys, wrong shapes, bad file).</summary>
public sealed class ModelLoadException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// Builds a catalogue model and loads its weights: TorchSharp's own format (<c>.dat</c>, <c>.bin</c>), or a PyTorch
/// <c>state_dict</c> through TorchSharp.PyBridge (<c>.pt</c>/<c>.pth</c> pickles, <c>.safetensors</c>). Without a file the
/// model keeps its seeded initialisation. Always returned in eval mode on <paramref name="device"/>.
/// </summary>
public static class ModelLoader
{
    /// <summary>Torch's default generator is process-wide: seeding and creating happen under one lock, so workers loading at
    /// the same time all get the seeded weights.</summary>
    private static readonly Lock SeedLock = new();

    public static nn.Module<Tensor, Tensor> Load(ModelDescriptor model, string? weights, Device device, long seed = 42)
    {
        nn.Module<Tensor, Tensor> module;
        lock (SeedLock)
        {
            torch.manual_seed(seed);
            module = model.Create();
        }

        if (weights is not null)
        {
            LoadWeights(module, model.Name, weights);
        }

        module.eval();
        return module.to(device);
    }

    private static void LoadWeights(nn.Module<Tensor, Tensor> module, string modelName, string path)
    {
        if (!File.Exists(path))
        {
            throw new ModelLoadException($"weights for model '{modelName}': file '{path}' does not exist");
        }

        // Not every format checks shapes on load (PyBridge's pickle loader doesn't), so shapes are compared here, for all.
        var expected = module.state_dict().ToDictionary(p => p.Key, p => p.Value.shape.ToArray());
        try
        {
            switch (Path.GetExtension(path).ToLowerInvariant())
            {
                case ".pt" or ".pth":
                    CheckShapes(ReadShapes(PyTorchUnpickler.UnpickleStateDict(path)), expected);
                    module.load_py(path, strict: true);
                    break;
                case ".safetensors":
                    CheckShapes(ReadShapes(Safetensors.LoadStateDict(path)), expected);
                    module.load_safetensors(path, strict: true);
                    break;
                default:
                    module.load(path, strict: true);
                    break;
            }
        }
        catch (ShapeMismatchException e)
        {
            throw new ModelLoadException($"weights in '{Path.GetFileName(path)}' don't fit model '{modelName}': {e.Message}");
        }
        catch (Exception e) when (e is not ModelLoadException and not OutOfMemoryException)
        {
            throw new ModelLoadException($"weights in '{Path.GetFileName(path)}' don't fit model '{modelName}': {e.Message}", e);
        }

    }

    private static Dictionary<string, long[]> ReadShapes(System.Collections.IDictionary stateDict)
    {
        var shapes = new Dictionary<string, long[]>(StringComparer.Ordinal);
        foreach (System.Collections.DictionaryEntry entry in stateDict)
        {
            if (entry.Value is Tensor tensor)
            {
                shapes[(string)entry.Key] = tensor.shape;
                tensor.Dispose();
            }
        }

        return shapes;
    }

    private static void CheckShapes(Dictionary<string, long[]> file, Dictionary<string, long[]> model)
    {
        var problems = model.Keys.Where(k => !file.ContainsKey(k)).Select(k => $"'{k}' is missing from the file")
            .Concat(file.Keys.Where(k => !model.ContainsKey(k)).Select(k => $"'{k}' is not a tensor of the model"))
            .Concat(model.Where(p => file.TryGetValue(p.Key, out var shape) && !shape.SequenceEqual(p.Value))
                .Select(p => $"'{p.Key}' is [{string.Join(", ", file[p.Key])}] in the file, the model needs [{string.Join(", ", p.Value)}]"))
            .ToList();
        if (problems.Count > 0)
        {
            throw new ShapeMismatchException(string.Join("; ", problems));
        }
    }

    private sealed class ShapeMismatchException(string message) : Exception(message);
}
