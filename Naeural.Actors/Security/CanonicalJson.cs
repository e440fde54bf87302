using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Naeural.Actors.Security;

/// <summary>
/// The one byte form of a JSON message that everyone signs and verifies: object keys sorted by ordinal, no whitespace,
/// numbers and strings as System.Text.Json writes them (minimal escaping). Two parties that agree on the JSON value get the same bytes.
/// </summary>
public static class CanonicalJson
{
    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Indented = false,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static byte[] Serialize(JsonNode? node, IReadOnlySet<string>? omitTopLevelKeys = null)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            Write(writer, node, omitTopLevelKeys);
        }

        return buffer.ToArray();
    }

    private static void Write(Utf8JsonWriter writer, JsonNode? node, IReadOnlySet<string>? omit)
    {
        switch (node)
        {
            case null:
                writer.WriteNullValue();
                break;
            case JsonObject obj:
                writer.WriteStartObject();
                foreach (var (key, value) in obj.OrderBy(p => p.Key, StringComparer.Ordinal))
                {
                    if (omit?.Contains(key) == true)
                    {
                        continue;
                    }

                    writer.WritePropertyName(key);
                    Write(writer, value, null);
                }

                writer.WriteEndObject();
                break;
            case JsonArray array:
                writer.WriteStartArray();
                foreach (var item in array)
                {
                    Write(writer, item, null);
                }

                writer.WriteEndArray();
                break;
            default:
                node.WriteTo(writer);
                break;
        }
    }
}
