using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Naeural.Actors.Capture;

/// <summary>Turns external records (JSON objects, CSV rows) into frame contents: numbers become values, the rest metadata.</summary>
public static class FrameParser
{
    public static (ImmutableDictionary<string, double> Values, ImmutableDictionary<string, string> Meta) FromJson(JsonObject json)
    {
        var values = ImmutableDictionary.CreateBuilder<string, double>(StringComparer.Ordinal);
        var meta = ImmutableDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        Collect(json, "", values, meta);
        return (values.ToImmutable(), meta.ToImmutable());
    }

    /// <summary>Parses a JSON text holding one object or an array of objects.</summary>
    /// <exception cref="FormatException">The text is not JSON, or holds something else.</exception>
    public static IReadOnlyList<(ImmutableDictionary<string, double> Values, ImmutableDictionary<string, string> Meta)> FromJsonText(string text)
    {
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(text);
        }
        catch (JsonException e)
        {
            throw new FormatException($"not valid JSON: {e.Message}", e);
        }

        return node switch
        {
            JsonObject obj => [FromJson(obj)],
            JsonArray array when array.All(a => a is JsonObject) => array.Select(a => FromJson((JsonObject)a!)).ToList(),
            _ => throw new FormatException("expected a JSON object or an array of objects"),
        };
    }

    public static (ImmutableDictionary<string, double> Values, ImmutableDictionary<string, string> Meta) FromCsv(
        IReadOnlyList<string> header, IReadOnlyList<string> cells)
    {
        var values = ImmutableDictionary.CreateBuilder<string, double>(StringComparer.Ordinal);
        var meta = ImmutableDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < Math.Min(header.Count, cells.Count); i++)
        {
            if (double.TryParse(cells[i], NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && double.IsFinite(number))
            {
                values[header[i]] = number;
            }
            else
            {
                meta[header[i]] = cells[i];
            }
        }

        return (values.ToImmutable(), meta.ToImmutable());
    }

    private static void Collect(JsonObject json, string prefix, ImmutableDictionary<string, double>.Builder values,
        ImmutableDictionary<string, string>.Builder meta)
    {
        foreach (var (key, node) in json)
        {
            var name = prefix.Length == 0 ? key : $"{prefix}.{key}";
            switch (node)
            {
                case JsonObject nested when key is "VALUES" or "META" && prefix.Length == 0:
                    Collect(nested, "", values, meta);
                    break;
                case JsonObject nested:
                    Collect(nested, name, values, meta);
                    break;
                case JsonValue value when value.GetValueKind() == JsonValueKind.Number:
                    values[name] = value.GetValue<double>();
                    break;
                case JsonValue value when value.GetValueKind() == JsonValueKind.String:
                    meta[name] = value.GetValue<string>();
                    break;
                case JsonValue value:
                    meta[name] = value.ToJsonString();
                    break;
            }
        }
    }
}
