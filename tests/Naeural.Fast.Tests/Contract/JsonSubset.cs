using System.Text.Json.Nodes;

namespace Naeural.Fast.Tests.Contract;

/// <summary>
/// Does a message read from older bytes still say everything those bytes said? Every property of the older JSON must be
/// in the newer one with the same value (objects compared the same way, arrays element by element); properties only the
/// newer one has are fields added since, which the rule allows.
/// </summary>
public static class JsonSubset
{
    /// <summary>Where <paramref name="newer"/> loses or changes what <paramref name="older"/> said: one line each, empty when nothing.</summary>
    public static IReadOnlyList<string> Differences(JsonNode? older, JsonNode? newer, string path = "$")
    {
        switch (older)
        {
            case JsonObject olderObject when newer is JsonObject newerObject:
                return [.. olderObject.SelectMany(p => newerObject.TryGetPropertyValue(p.Key, out var value)
                    ? Differences(p.Value, value, $"{path}.{p.Key}")
                    : [$"{path}.{p.Key}: in the golden file, no longer read (renamed or removed?)"])];
            case JsonArray olderArray when newer is JsonArray newerArray:
                return olderArray.Count != newerArray.Count
                    ? [$"{path}: {olderArray.Count} items in the golden file, {newerArray.Count} read back"]
                    : [.. olderArray.SelectMany((item, i) => Differences(item, newerArray[i], $"{path}[{i}]"))];
            default:
                return JsonNode.DeepEquals(older, newer)
                    ? []
                    : [$"{path}: {older?.ToJsonString() ?? "null"} in the golden file, {newer?.ToJsonString() ?? "null"} read back"];
        }
    }
}
