using System.Text.Json.Nodes;

namespace Naeural.Actors.Pipelines;

/// <summary>
/// The original's partial-merge <c>UPDATE_CONFIG</c>: objects merge key by key (case-insensitively, the update wins),
/// <c>PLUGINS</c> merge by <c>SIGNATURE</c> and their <c>INSTANCES</c> by <c>INSTANCE_ID</c> (new ones are added), any other
/// value is replaced, and a <c>null</c> removes a key.
/// </summary>
public static class ConfigMerge
{
    public static JsonObject Merge(JsonObject current, JsonObject update)
    {
        var result = (JsonObject)current.DeepClone();
        MergeInto(result, update);
        return result;
    }

    private static void MergeInto(JsonObject target, JsonObject update)
    {
        foreach (var (key, value) in update)
        {
            var existingKey = target.Select(p => p.Key).FirstOrDefault(k => string.Equals(k, key, StringComparison.OrdinalIgnoreCase));
            if (value is null)
            {
                if (existingKey is not null)
                {
                    target.Remove(existingKey);
                }

                continue;
            }

            var existing = existingKey is null ? null : target[existingKey];
            if (existing is JsonObject existingObject && value is JsonObject updateObject)
            {
                MergeInto(existingObject, updateObject);
                continue;
            }

            if (existing is JsonArray existingArray && value is JsonArray updateArray
                && KeyFor(key) is { } identity)
            {
                MergeById(existingArray, updateArray, identity);
                continue;
            }

            if (existingKey is not null)
            {
                target.Remove(existingKey);
            }

            target[existingKey ?? key] = value.DeepClone();
        }
    }

    private static string? KeyFor(string arrayKey) => arrayKey.ToUpperInvariant() switch
    {
        PipelineSpec.PluginsKey => PipelineSpec.SignatureKey,
        PipelineSpec.InstancesKey => PipelineSpec.InstanceIdKey,
        _ => null,
    };

    private static void MergeById(JsonArray target, JsonArray update, string identity)
    {
        foreach (var item in update)
        {
            if (item is not JsonObject updateItem || Id(updateItem, identity) is not { } id)
            {
                target.Add(item?.DeepClone());
                continue;
            }

            var match = target.OfType<JsonObject>().FirstOrDefault(t => string.Equals(Id(t, identity), id, StringComparison.OrdinalIgnoreCase));
            if (match is null)
            {
                target.Add(updateItem.DeepClone());
            }
            else
            {
                // The identity keeps the spelling it was created with (matching is case-insensitive).
                var changes = (JsonObject)updateItem.DeepClone();
                foreach (var key in changes.Select(p => p.Key).Where(k => string.Equals(k, identity, StringComparison.OrdinalIgnoreCase)).ToList())
                {
                    changes.Remove(key);
                }

                MergeInto(match, changes);
            }
        }
    }

    private static string? Id(JsonObject item, string identity) =>
        item.FirstOrDefault(p => string.Equals(p.Key, identity, StringComparison.OrdinalIgnoreCase)).Value is JsonValue v
        && v.TryGetValue<string>(out var id)
            ? id
            : null;
}
