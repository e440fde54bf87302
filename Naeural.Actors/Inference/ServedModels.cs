using System.Collections.Frozen;

namespace Naeural.Actors.Inference;

/// <summary>
/// One model this node serves, as a plugin sees it: what one sample takes (<see cref="InputShape"/>, without the batch),
/// how many values it gives, and its class names where the node has them (a recogniser's characters, a classifier's classes;
/// class 0 first).
/// </summary>
public sealed record ServedModel(string Name, long[] InputShape, long OutputSize, IReadOnlyList<string>? Labels);

/// <summary>
/// The models this node serves, known at start (<see cref="Plugins.PluginContext.ModelOf"/>), so that a plugin sizes its
/// inputs by the served model, never by a tenant's config. Labels come from <c>&lt;model&gt;.labels.txt</c> in the node's models
/// folder, one a line, read at start; a file that can't be read, is over <see cref="MaxLabelBytes"/> or has fewer than two
/// lines gives none.
/// </summary>
public sealed class ServedModels
{
    public const string LabelsExtension = ".labels.txt";

    public const int MaxLabelBytes = 4 * 1024 * 1024;

    private readonly FrozenDictionary<string, ServedModel> _byName;

    private ServedModels(IEnumerable<ServedModel> models) =>
        _byName = models.ToFrozenDictionary(m => m.Name, StringComparer.OrdinalIgnoreCase);

    /// <summary>No models (a node that serves none, or a test that needs none).</summary>
    public static ServedModels None { get; } = new([]);

    /// <summary>The served <paramref name="models"/>, with the labels files of <paramref name="modelsFolder"/>.</summary>
    public static ServedModels From(IEnumerable<(string Name, long[] InputShape, long OutputSize)> models, string modelsFolder) =>
        new(models.Select(m => new ServedModel(m.Name, m.InputShape, m.OutputSize, ReadLabels(Path.Combine(modelsFolder, m.Name + LabelsExtension)))));

    /// <summary>Every served model, by name.</summary>
    public IEnumerable<ServedModel> All => _byName.Values.OrderBy(m => m.Name, StringComparer.Ordinal);

    /// <summary>The served model named <paramref name="name"/> (case-insensitive), or null.</summary>
    public ServedModel? Find(string name) => _byName.GetValueOrDefault(name);

    private static IReadOnlyList<string>? ReadLabels(string path)
    {
        try
        {
            var file = new FileInfo(path);
            return file.Exists && file.Length <= MaxLabelBytes && File.ReadAllLines(path) is { Length: >= 2 } lines ? lines : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
