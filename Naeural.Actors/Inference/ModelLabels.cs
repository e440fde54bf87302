using System.Collections.Concurrent;
using System.Text.RegularExpressions;

namespace Naeural.Actors.Inference;

/// <summary>
/// The class names of this node's served models, for plugins that turn a model's scores into words (a recogniser's characters,
/// a classifier's classes): <c>&lt;model&gt;.labels.txt</c> in the node's models folder, one label a line, class 0 first. Read
/// once a model, on first use; a model name that is not a plain file name, a missing file, or one over
/// <see cref="MaxBytes"/> has none.
/// </summary>
public sealed partial class ModelLabels
{
    public const string Extension = ".labels.txt";

    public const int MaxBytes = 4 * 1024 * 1024;

    private readonly string? _folder;
    private readonly ConcurrentDictionary<string, IReadOnlyList<string>?> _read = new(StringComparer.OrdinalIgnoreCase);

    private ModelLabels(string? folder) => _folder = folder;

    /// <summary>No labels for any model (a node without a models folder).</summary>
    public static ModelLabels None { get; } = new(null);

    /// <summary>The labels files of the models in <paramref name="modelsFolder"/>.</summary>
    public static ModelLabels In(string modelsFolder) => new(modelsFolder);

    /// <summary>The labels of <paramref name="model"/>, or null where it has none.</summary>
    public IReadOnlyList<string>? Of(string model)
    {
        if (_folder is null || !PlainName().IsMatch(model))
        {
            return null;
        }

        return _read.GetOrAdd(model, name =>
        {
            var path = Path.Combine(_folder, name + Extension);
            var file = new FileInfo(path);
            return file.Exists && file.Length <= MaxBytes ? File.ReadAllLines(path) : null;
        });
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$")]
    private static partial Regex PlainName();
}
