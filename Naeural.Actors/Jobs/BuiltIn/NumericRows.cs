using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Naeural.Actors.Pipelines;

namespace Naeural.Actors.Jobs.BuiltIn;

/// <summary>
/// The value a numeric job plugin reads from a row: the row itself when no <c>FIELD</c> is configured, else the row
/// object's <c>FIELD</c>. Values are <see cref="decimal"/> so sums are exact and do not depend on how rows are grouped.
/// </summary>
internal static class NumericRows
{
    public const string FieldKey = "FIELD";

    public static string? Field(JsonObject config) =>
        config.FirstOrDefault(p => string.Equals(p.Key, FieldKey, StringComparison.OrdinalIgnoreCase)).Value is JsonValue v
        && v.TryGetValue<string>(out var s) ? s : null;

    public static bool TryRead(JsonNode? row, string? field, out decimal value)
    {
        value = 0;
        var node = field is null ? row : (row as JsonObject)?[field];
        // Parsed JSON reads as decimal directly; a value built in code (an int, a double) through its JSON text.
        return node is JsonValue v && v.GetValueKind() == JsonValueKind.Number
               && (v.TryGetValue(out value) || decimal.TryParse(v.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out value));
    }

    public static decimal Read(JsonNode? row, string? field, int index) =>
        TryRead(row, field, out var value) ? value : throw new InvalidDataException(Problem(field, index).ToString());

    public static IEnumerable<SpecError> Validate(JsonObject config, IReadOnlyList<JsonNode?> input)
    {
        var fieldNode = config.FirstOrDefault(p => string.Equals(p.Key, FieldKey, StringComparison.OrdinalIgnoreCase)).Value;
        if (fieldNode is not null && Field(config) is null)
        {
            yield return new SpecError($"{JobSpec.ConfigKey}.{FieldKey}", "must be a string");
            yield break;
        }

        var field = Field(config);
        for (var i = 0; i < input.Count; i++)
        {
            if (!TryRead(input[i], field, out _))
            {
                yield return Problem(field, i);
            }
        }
    }

    private static SpecError Problem(string? field, int index) => field is null
        ? new SpecError($"{JobSpec.InputKey}[{index}]", $"must be a number within ±7.9e28 (or set {JobSpec.ConfigKey}.{FieldKey} to read one from row objects)")
        : new SpecError($"{JobSpec.InputKey}[{index}].{field}", "must be a number within ±7.9e28");
}
