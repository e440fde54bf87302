using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Naeural.Actors.Pipelines;

/// <summary>
/// Typed, validating access to one JSON config object (a data source's keys or a plugin instance's), collecting every
/// problem as a <see cref="SpecError"/> that names the field's full path (e.g. <c>PLUGINS[0].INSTANCES[1].PROCESS_DELAY</c>).
/// Keys are matched case-insensitively, as the original does.
/// </summary>
public sealed class ConfigReader
{
    private readonly JsonObject _config;
    private readonly string _path;
    private readonly List<SpecError> _errors;

    public ConfigReader(JsonObject config, string path = "", List<SpecError>? errors = null)
    {
        _config = config;
        _path = path;
        _errors = errors ?? [];
    }

    public JsonObject Raw => _config;

    public IReadOnlyList<SpecError> Errors => _errors;

    public bool Has(string key) => Find(key) is not null;

    public string? String(string key, string? fallback = null, bool required = false)
    {
        var node = Find(key);
        if (node is null)
        {
            return Missing(key, required, fallback);
        }

        if (node.GetValueKind() == JsonValueKind.String)
        {
            return node.GetValue<string>();
        }

        if (node.GetValueKind() is JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False)
        {
            return node.ToJsonString();
        }

        return Fail(key, "must be a string", fallback);
    }

    public double Number(string key, double fallback, double min = double.MinValue, double max = double.MaxValue, bool required = false)
    {
        var node = Find(key);
        if (node is null)
        {
            return Missing(key, required, fallback);
        }

        double value;
        if (node.GetValueKind() == JsonValueKind.Number)
        {
            value = node.GetValue<double>();
        }
        else if (node.GetValueKind() == JsonValueKind.String
                 && double.TryParse(node.GetValue<string>(), NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed))
        {
            value = parsed;
        }
        else
        {
            return Fail(key, "must be a number", fallback);
        }

        if (double.IsNaN(value) || value < min || value > max)
        {
            return Fail(key, $"must be between {Format(min)} and {Format(max)}, not {Format(value)}", fallback);
        }

        return value;
    }

    public int Integer(string key, int fallback, int min = int.MinValue, int max = int.MaxValue, bool required = false)
    {
        var value = Number(key, fallback, min, max, required);
        if (value != Math.Floor(value))
        {
            return Fail(key, "must be a whole number", fallback);
        }

        return (int)value;
    }

    public bool Boolean(string key, bool fallback)
    {
        var node = Find(key);
        if (node is null)
        {
            return fallback;
        }

        return node.GetValueKind() switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            JsonValueKind.String when node.GetValue<string>().ToUpperInvariant() is "YES" or "TRUE" or "1" => true,
            JsonValueKind.String when node.GetValue<string>().ToUpperInvariant() is "NO" or "FALSE" or "0" => false,
            _ => Fail(key, "must be true or false", fallback),
        };
    }

    /// <summary>One of <paramref name="allowed"/> (case-insensitive), returned upper-case.</summary>
    public string Choice(string key, string fallback, params string[] allowed)
    {
        var node = Find(key);
        if (node is null)
        {
            return fallback;
        }

        var value = node.GetValueKind() switch
        {
            JsonValueKind.String => node.GetValue<string>().ToUpperInvariant(),
            JsonValueKind.True => "YES",
            JsonValueKind.False => "NO",
            _ => null,
        };
        return value is not null && allowed.Contains(value)
            ? value
            : Fail(key, $"must be one of {string.Join(", ", allowed)}", fallback);
    }

    /// <summary>Records a problem with <paramref name="key"/> that a plugin or source found itself.</summary>
    public void Error(string key, string message) => _errors.Add(new SpecError(FieldPath(key), message));

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

    private T Missing<T>(string key, bool required, T fallback)
    {
        if (required)
        {
            Error(key, "is required");
        }

        return fallback;
    }

    private T Fail<T>(string key, string message, T fallback)
    {
        Error(key, message);
        return fallback;
    }

    private string FieldPath(string key) => _path.Length == 0 ? key : $"{_path}.{key}";

    private static string Format(double value) => value switch
    {
        double.MinValue => "-inf",
        double.MaxValue => "+inf",
        _ => value.ToString(CultureInfo.InvariantCulture),
    };
}

/// <summary>A problem with a pipeline spec or command: the field's path and what is wrong with it.</summary>
public sealed record SpecError(string Field, string Message)
{
    public override string ToString() => $"{Field}: {Message}";
}
