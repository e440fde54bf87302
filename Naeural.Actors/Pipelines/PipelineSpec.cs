using System.Collections.Immutable;
using System.Text.Json.Nodes;
using Naeural.Actors.Security;

namespace Naeural.Actors.Pipelines;

/// <summary>
/// A pipeline as a developer declares it, in the original's vocabulary: <c>NAME</c>, the data source's <c>TYPE</c> and its
/// keys (<c>URL</c>, <c>CAP_RESOLUTION</c>, <c>RECONNECTABLE</c>, …), and <c>PLUGINS</c>: each a <c>SIGNATURE</c> with its
/// <c>INSTANCES</c> (<c>INSTANCE_ID</c>, <c>PROCESS_DELAY</c>, plugin keys). Immutable; <see cref="Json"/> is its canonical form.
/// </summary>
public sealed record PipelineSpec(string Name, string Type, ImmutableArray<PluginSpec> Plugins, string Json)
{
    public const string NameKey = "NAME";
    public const string TypeKey = "TYPE";
    public const string PluginsKey = "PLUGINS";
    public const string SignatureKey = "SIGNATURE";
    public const string InstancesKey = "INSTANCES";
    public const string InstanceIdKey = "INSTANCE_ID";
    public const string EncryptPayloadsKey = "ENCRYPT_PAYLOADS";

    /// <summary>Where the pipeline may run (its <c>PLACEMENT</c> object); none: anywhere that allows the owner.</summary>
    public Placement.PlacementRequirements Placement { get; init; } = Naeural.Actors.Placement.PlacementRequirements.None;

    /// <summary>
    /// <c>ENCRYPT_PAYLOADS</c>: every payload is sealed for the owner's key (only the owner reads <c>DATA</c>); the node learns
    /// that key from the owner's signed create command.
    /// </summary>
    public bool EncryptPayloads { get; init; }

    /// <summary>The whole spec as a fresh, mutable JSON object.</summary>
    public JsonObject ToJsonObject() => (JsonObject)JsonNode.Parse(Json)!;

    /// <summary>The data source's own keys: every top-level key but <c>NAME</c>, <c>TYPE</c>, <c>PLUGINS</c>, <c>PLACEMENT</c> and <c>ENCRYPT_PAYLOADS</c>.</summary>
    public JsonObject SourceConfig()
    {
        var json = ToJsonObject();
        foreach (var key in json.Select(p => p.Key).ToList())
        {
            if (key.ToUpperInvariant() is NameKey or TypeKey or PluginsKey or EncryptPayloadsKey or Naeural.Actors.Placement.PlacementRequirements.Key)
            {
                json.Remove(key);
            }
        }

        return json;
    }

    public IEnumerable<(PluginSpec Plugin, InstanceSpec Instance)> AllInstances() =>
        Plugins.SelectMany(p => p.Instances.Select(i => (p, i)));

    public InstanceSpec? FindInstance(string signature, string instanceId) =>
        Plugins.FirstOrDefault(p => string.Equals(p.Signature, signature, StringComparison.OrdinalIgnoreCase))?
            .Instances.FirstOrDefault(i => string.Equals(i.InstanceId, instanceId, StringComparison.OrdinalIgnoreCase));

    internal static string Canonical(JsonObject json) => System.Text.Encoding.UTF8.GetString(CanonicalJson.Serialize(json));
}

/// <summary>One business plugin of a pipeline and its instances.</summary>
public sealed record PluginSpec(string Signature, ImmutableArray<InstanceSpec> Instances);

/// <summary>One instance of a plugin: its id and its config (every key but <c>INSTANCE_ID</c>), as canonical JSON.</summary>
public sealed record InstanceSpec(string InstanceId, string ConfigJson)
{
    public JsonObject Config() => (JsonObject)JsonNode.Parse(ConfigJson)!;
}
