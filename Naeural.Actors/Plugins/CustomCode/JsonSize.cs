using System.Text.Json;
using System.Text.Json.Nodes;

namespace Naeural.Actors.Plugins.CustomCode;

/// <summary>
/// Estimates the JSON size of a node tree without serializing it, iteratively (no recursion on hostile depth) and stopping
/// as soon as it passes the limit (so a huge or cyclic tree costs no more than the limit to measure).
/// </summary>
internal static class JsonSize
{
    /// <summary>JSON deeper than this can't be serialized by the node (System.Text.Json's default maximum depth).</summary>
    public const int MaxDepth = 64;

    /// <summary>The estimated size in bytes, or a value over <paramref name="limit"/> as soon as it passes it; <paramref name="tooDeep"/> past <see cref="MaxDepth"/>.</summary>
    public static long Measure(JsonNode? root, long limit, out bool tooDeep)
    {
        tooDeep = false;
        long size = 0;
        var pending = new Stack<(JsonNode? Node, int Depth)>();
        pending.Push((root, 1));
        while (pending.Count > 0)
        {
            var (node, depth) = pending.Pop();
            if (depth > MaxDepth)
            {
                tooDeep = true;
                return size;
            }

            switch (node)
            {
                case null:
                    size += 4;
                    break;
                case JsonObject obj:
                    size += 2;
                    foreach (var (key, value) in obj)
                    {
                        size += key.Length + 4;
                        pending.Push((value, depth + 1));
                        if (size > limit)
                        {
                            return size;
                        }
                    }

                    break;
                case JsonArray array:
                    size += 2;
                    foreach (var item in array)
                    {
                        size += 1;
                        pending.Push((item, depth + 1));
                        if (size > limit)
                        {
                            return size;
                        }
                    }

                    break;
                case JsonValue value:
                    size += value.GetValueKind() == JsonValueKind.String && value.TryGetValue<string>(out var text) ? text.Length + 2 : 24;
                    break;
            }

            if (size > limit)
            {
                return size;
            }
        }

        return size;
    }
}
