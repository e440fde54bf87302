using System.Collections.Immutable;
using System.Text.Json.Nodes;
using Naeural.Actors.Serialization;

namespace Naeural.Actors.Capture;

/// <summary>
/// One unit of captured data: a numbered, timestamped set of named values (a sensor reading, a CSV row, an MQTT
/// message's numeric fields) plus text metadata (e.g. the synthetic source's ground-truth <c>anomaly</c> label), and, from
/// image and video sources, the picture (<see cref="Image"/>).
/// </summary>
[WireName("capture.frame")]
public sealed record Frame(
    long Index,
    DateTimeOffset At,
    ImmutableDictionary<string, double> Values,
    ImmutableDictionary<string, string> Meta,
    FrameImage? Image = null)
{
    /// <summary>The value of <paramref name="key"/>, or the frame's only/first value when key is null.</summary>
    public bool TryGetValue(string? key, out double value)
    {
        if (key is null)
        {
            value = Values.Count > 0 ? Values.OrderBy(v => v.Key, StringComparer.Ordinal).First().Value : 0;
            return Values.Count > 0;
        }

        return Values.TryGetValue(key, out value);
    }

    public JsonObject ToJson()
    {
        var values = new JsonObject();
        foreach (var (key, value) in Values.OrderBy(v => v.Key, StringComparer.Ordinal))
        {
            values[key] = value;
        }

        var json = new JsonObject { ["INDEX"] = Index, ["TIME"] = At.ToUnixTimeMilliseconds(), ["VALUES"] = values };
        if (Image is not null)
        {
            json["IMAGE"] = new JsonObject { ["WIDTH"] = Image.Width, ["HEIGHT"] = Image.Height }; // the size, never the pixels
        }

        if (!Meta.IsEmpty)
        {
            var meta = new JsonObject();
            foreach (var (key, value) in Meta.OrderBy(v => v.Key, StringComparer.Ordinal))
            {
                meta[key] = value;
            }

            json["META"] = meta;
        }

        return json;
    }
}
