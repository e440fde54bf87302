namespace Naeural.Inference.Models;

/// <summary>Where a node keeps model weights: <c>&lt;data&gt;/models/&lt;model&gt;.dat</c> (or <c>.pt</c>, <c>.safetensors</c>).</summary>
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
}
