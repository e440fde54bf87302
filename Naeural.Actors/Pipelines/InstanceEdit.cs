using System.Text.Json.Nodes;
using Naeural.Actors.Commands;

namespace Naeural.Actors.Pipelines;

/// <summary>
/// The instance commands' edits of a spec: <c>ADD_PIPELINE_INSTANCE</c>, <c>UPDATE_PIPELINE_INSTANCE</c> (partial merge) and
/// <c>REMOVE_PIPELINE_INSTANCE</c>, each with a payload naming <c>SIGNATURE</c> and <c>INSTANCE_ID</c>.
/// </summary>
public static class InstanceEdit
{
    public const string CommandKey = "COMMAND";

    public static JsonObject Apply(PipelineSpec spec, string action, JsonObject payload)
    {
        var (signature, instanceId) = Identify(payload);
        var exists = spec.FindInstance(signature, instanceId) is not null;
        var json = spec.ToJsonObject();
        switch (action)
        {
            case PipelineActions.AddInstance when exists:
                throw new CommandRejectedException(RejectionCodes.AlreadyExists, $"instance {signature}/{instanceId} already exists");
            case PipelineActions.UpdateInstance or PipelineActions.RemoveInstance when !exists:
                throw new CommandRejectedException(RejectionCodes.UnknownInstance, $"instance {signature}/{instanceId} does not exist");
            case PipelineActions.RemoveInstance:
                Remove(json, signature, instanceId);
                return json;
            default:
                var instance = (JsonObject)payload.DeepClone();
                Remove(instance, PipelineSpec.SignatureKey);
                var update = new JsonObject
                {
                    [PipelineSpec.PluginsKey] = new JsonArray(new JsonObject
                    {
                        [PipelineSpec.SignatureKey] = signature,
                        [PipelineSpec.InstancesKey] = new JsonArray(instance),
                    }),
                };
                return ConfigMerge.Merge(json, update);
        }
    }

    /// <summary>The instance an <c>INSTANCE_COMMAND</c> names, and its <c>COMMAND</c> as JSON text.</summary>
    public static (string Signature, string InstanceId, string CommandJson) Target(PipelineSpec spec, JsonObject payload)
    {
        var (signature, instanceId) = Identify(payload);
        var instance = spec.FindInstance(signature, instanceId)
                       ?? throw new CommandRejectedException(RejectionCodes.UnknownInstance, $"instance {signature}/{instanceId} does not exist");
        var plugin = spec.Plugins.First(p => p.Instances.Contains(instance));
        return (plugin.Signature, instance.InstanceId, payload[CommandKey]?.ToJsonString() ?? "null");
    }

    private static (string Signature, string InstanceId) Identify(JsonObject payload)
    {
        var reader = new ConfigReader(payload, "PAYLOAD");
        var signature = reader.String(PipelineSpec.SignatureKey, required: true);
        var instanceId = reader.String(PipelineSpec.InstanceIdKey, required: true);
        return signature is null || instanceId is null
            ? throw new CommandRejectedException(RejectionCodes.InvalidSpec, string.Join("; ", reader.Errors))
            : (signature, instanceId);
    }

    private static void Remove(JsonObject spec, string signature, string instanceId)
    {
        if (Find(spec, PipelineSpec.PluginsKey) is not JsonArray plugins)
        {
            return;
        }

        foreach (var plugin in plugins.OfType<JsonObject>().ToList())
        {
            if (!string.Equals(Text(plugin, PipelineSpec.SignatureKey), signature, StringComparison.OrdinalIgnoreCase)
                || Find(plugin, PipelineSpec.InstancesKey) is not JsonArray instances)
            {
                continue;
            }

            foreach (var instance in instances.OfType<JsonObject>().Where(i => string.Equals(Text(i, PipelineSpec.InstanceIdKey), instanceId, StringComparison.OrdinalIgnoreCase)).ToList())
            {
                instances.Remove(instance);
            }

            if (instances.Count == 0)
            {
                plugins.Remove(plugin);
            }
        }
    }

    private static void Remove(JsonObject json, string key)
    {
        foreach (var name in json.Select(p => p.Key).Where(k => string.Equals(k, key, StringComparison.OrdinalIgnoreCase)).ToList())
        {
            json.Remove(name);
        }
    }

    private static JsonNode? Find(JsonObject json, string key) =>
        json.FirstOrDefault(p => string.Equals(p.Key, key, StringComparison.OrdinalIgnoreCase)).Value;

    private static string? Text(JsonObject json, string key) =>
        Find(json, key) is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
}
