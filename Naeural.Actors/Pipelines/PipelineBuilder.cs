using System.Text.Json.Nodes;

namespace Naeural.Actors.Pipelines;

/// <summary>
/// Builds pipeline JSON in C#, in the same vocabulary as the JSON form:
/// <code>
/// new PipelineBuilder("plant", "SyntheticSensor").With("CAP_RESOLUTION", 20)
///     .Plugin("THRESHOLD_ALERT", p => p.Instance("hot").With("RAISE_THRESHOLD", 26))
///     .Build();
/// </code>
/// The node validates it exactly like JSON sent by hand.
/// </summary>
public sealed class PipelineBuilder(string name, string type)
{
    private readonly JsonObject _source = [];
    private readonly List<(string Signature, PluginBuilder Plugin)> _plugins = [];

    /// <summary>A data-source key (<c>URL</c>, <c>CAP_RESOLUTION</c>, <c>RECONNECTABLE</c>, …).</summary>
    public PipelineBuilder With(string key, JsonNode? value)
    {
        _source[key] = value;
        return this;
    }

    public PipelineBuilder Plugin(string signature, Action<PluginBuilder> instances)
    {
        var plugin = new PluginBuilder();
        instances(plugin);
        _plugins.Add((signature, plugin));
        return this;
    }

    public JsonObject Build()
    {
        var spec = new JsonObject { [PipelineSpec.NameKey] = name, [PipelineSpec.TypeKey] = type };
        foreach (var (key, value) in _source)
        {
            spec[key] = value?.DeepClone();
        }

        spec[PipelineSpec.PluginsKey] = new JsonArray([.. _plugins.Select(p => (JsonNode)new JsonObject
        {
            [PipelineSpec.SignatureKey] = p.Signature,
            [PipelineSpec.InstancesKey] = new JsonArray([.. p.Plugin.Instances.Select(i => (JsonNode)i.Build())]),
        })]);
        return spec;
    }
}

/// <summary>The instances of one plugin in a <see cref="PipelineBuilder"/>.</summary>
public sealed class PluginBuilder
{
    internal List<InstanceBuilder> Instances { get; } = [];

    public InstanceBuilder Instance(string instanceId)
    {
        var instance = new InstanceBuilder(instanceId);
        Instances.Add(instance);
        return instance;
    }
}

/// <summary>One instance's keys (<c>PROCESS_DELAY</c>, <c>ALLOW_EMPTY_INPUTS</c>, the plugin's own).</summary>
public sealed class InstanceBuilder(string instanceId)
{
    private readonly JsonObject _config = [];

    public InstanceBuilder With(string key, JsonNode? value)
    {
        _config[key] = value;
        return this;
    }

    internal JsonObject Build()
    {
        var json = new JsonObject { [PipelineSpec.InstanceIdKey] = instanceId };
        foreach (var (key, value) in _config)
        {
            json[key] = value?.DeepClone();
        }

        return json;
    }
}
