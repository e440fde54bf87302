using System.Text.Json;

namespace Naeural.Inference.Models;

/// <summary>
/// What a node's operator says about an ONNX model file whose sample shape the file leaves dynamic (a detector exported for
/// any picture size): <c>&lt;name&gt;.json</c> beside <c>&lt;name&gt;.onnx</c>, e.g. <c>{"input": [3, 480, 640]}</c>, fixes the
/// sample shape the node serves it at, so that samples from every pipeline batch together.
/// </summary>
/// <param name="Input">The shape of one sample, without the batch dimension.</param>
public sealed record OnnxModelCard(long[]? Input)
{
    public const string Extension = ".json";

    private const int MaxBytes = 64 * 1024;

    /// <summary>The card beside <paramref name="modelPath"/>, or null where there is none; a bad card is a <see cref="ModelLoadException"/>.</summary>
    public static OnnxModelCard? Read(string name, string modelPath)
    {
        var path = Path.ChangeExtension(modelPath, Extension);
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            if (new FileInfo(path).Length > MaxBytes)
            {
                throw new ModelLoadException($"ONNX model '{name}': its card {Path.GetFileName(path)} is over {MaxBytes / 1024} KiB");
            }

            return JsonSerializer.Deserialize<OnnxModelCard>(File.ReadAllText(path), Options)
                   ?? throw new ModelLoadException($"ONNX model '{name}': its card {Path.GetFileName(path)} is empty");
        }
        catch (JsonException e)
        {
            throw new ModelLoadException($"ONNX model '{name}': its card {Path.GetFileName(path)} is not valid: {e.Message}", e);
        }
    }

    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNameCaseInsensitive = true,
        UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow,
    };
}
