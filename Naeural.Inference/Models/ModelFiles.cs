namespace Naeural.Inference.Models;

/// <summary>
/// Where a node keeps its models: weights of catalogue models in <c>&lt;data&gt;/models/&lt;model&gt;.dat</c> (or <c>.pt</c>,
/// <c>.safetensors</c>), and ONNX models as <c>&lt;data&gt;/models/&lt;model&gt;.onnx</c>.
/// </summary>
public static class ModelFiles
{
    public const string Folder = "models";

    private static readonly string[] Extensions = [".dat", ".pt", ".pth", ".safetensors"];

    public static string FolderOf(string dataDirectory) => Path.Combine(dataDirectory, Folder);

    /// <summary>The weight file of <paramref name="model"/> in the node's data folder, or null.</summary>
    public static string? FindOne(string dataDirectory, string model) =>
        Extensions.Select(e => Path.Combine(FolderOf(dataDirectory), model + e)).FirstOrDefault(File.Exists);

    /// <summary>The weight file of every catalogue model that has one in the node's data folder.</summary>
    public static IReadOnlyDictionary<string, string> Find(string dataDirectory, ModelCatalogue catalogue)
    {
        var folder = FolderOf(dataDirectory);
        var found = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var name in catalogue.Names)
        {
            if (Extensions.Select(e => Path.Combine(folder, name + e)).FirstOrDefault(File.Exists) is { } path)
            {
                found[name] = path;
            }
        }

        return found;
    }

    /// <summary>
    /// <paramref name="catalogue"/> with every ONNX model of the node's <c>models/</c> folder: <c>&lt;name&gt;.onnx</c> is served
    /// as model <c>name</c> on ONNX Runtime (in place of the catalogue's TorchSharp model of that name, which it must take and
    /// give the same as). A file that can't be served is left out, and its reason returned: the node serves the rest.
    /// </summary>
    public static (ModelCatalogue Catalogue, IReadOnlyList<string> Problems) WithOnnxModels(string dataDirectory, ModelCatalogue catalogue)
    {
        var folder = FolderOf(dataDirectory);
        var problems = new List<string>();
        if (!Directory.Exists(folder))
        {
            return (catalogue, problems);
        }

        foreach (var path in Directory.EnumerateFiles(folder, "*" + OnnxModels.Extension).Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileNameWithoutExtension(path);
            try
            {
                catalogue = catalogue.With(OnnxModels.Describe(name, path, catalogue.Find(name)));
            }
            catch (ModelLoadException e)
            {
                problems.Add(e.Message);
            }
            catch (Exception e) when (e is DllNotFoundException or TypeInitializationException or IOException or UnauthorizedAccessException
                                          or Microsoft.ML.OnnxRuntime.OnnxRuntimeException)
            {
                problems.Add($"ONNX model '{name}' ({Path.GetFileName(path)}) can't be served: {e.Message}");
            }
        }

        return (catalogue, problems);
    }
}
