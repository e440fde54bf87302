using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Naeural.Actors.Plugins.CustomCode;

/// <summary>
/// The instance's config, read-only: <c>config</c> in the code. Keys are matched case-insensitively, as everywhere in a
/// pipeline spec; put the code's own parameters (thresholds, window sizes) next to <c>CODE</c>.
/// </summary>
public sealed class CustomCodeConfig
{
    private readonly JsonObject _config;

    internal CustomCodeConfig(JsonObject config) => _config = config;

    public bool Has(string key) => Find(key) is not null;

    /// <summary>The number at <paramref name="key"/> (a JSON number or a numeric string), else <paramref name="fallback"/>.</summary>
    public double Number(string key, double fallback = 0) => Find(key) switch
    {
        JsonValue v when v.GetValueKind() == JsonValueKind.Number => v.GetValue<double>(),
        JsonValue v when v.GetValueKind() == JsonValueKind.String
                         && double.TryParse(v.GetValue<string>(), NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) => parsed,
        _ => fallback,
    };

    /// <summary>The text at <paramref name="key"/> (numbers and booleans as their JSON text), else <paramref name="fallback"/>.</summary>
    public string? String(string key, string? fallback = null) => Find(key) switch
    {
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        JsonValue v => v.ToJsonString(),
        _ => fallback,
    };

    /// <summary>The boolean at <paramref name="key"/> (true/false, or "YES"/"NO"/"TRUE"/"FALSE"/"1"/"0"), else <paramref name="fallback"/>.</summary>
    public bool Boolean(string key, bool fallback = false) => Find(key) switch
    {
        JsonValue v when v.GetValueKind() == JsonValueKind.True => true,
        JsonValue v when v.GetValueKind() == JsonValueKind.False => false,
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>().ToUpperInvariant() switch
        {
            "YES" or "TRUE" or "1" => true,
            "NO" or "FALSE" or "0" => false,
            _ => fallback,
        },
        _ => fallback,
    };

    /// <summary>A copy of the JSON at <paramref name="key"/> (an array or object parameter), or null.</summary>
    public JsonNode? Get(string key) => Find(key)?.DeepClone();

    private JsonNode? Find(string key)
    {
        foreach (var (name, value) in _config)
        {
            if (string.Equals(name, key, StringComparison.OrdinalIgnoreCase))
            {
                return value;
            }
        }

        return null;
    }
}
