using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Naeural.Actors.Capture;
using Naeural.Actors.Placement;
using Naeural.Actors.Plugins;

namespace Naeural.Actors.Pipelines;

/// <summary>
/// Turns pipeline JSON into a <see cref="PipelineSpec"/>, or into every problem it has, each naming its field. Checks the
/// shape, the data source's <c>TYPE</c> and keys, each <c>SIGNATURE</c> against the plugin catalogue, and each instance's
/// keys against its plugin. Nothing is deployed from a spec with errors.
/// </summary>
public sealed partial class PipelineSpecParser(SourceCatalogue sources, PluginCatalogue plugins, bool validateConfigs = true)
{
    public const int MaxPlugins = 64;
    public const int MaxInstancesPerPlugin = 256;

    public SpecResult Parse(string json)
    {
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { MaxDepth = 32, AllowDuplicateProperties = false });
        }
        catch (JsonException e)
        {
            return SpecResult.Invalid(new SpecError("$", $"is not valid JSON: {e.Message}"));
        }

        return node is JsonObject obj ? Validate(obj) : SpecResult.Invalid(new SpecError("$", "must be a JSON object"));
    }

    public SpecResult Validate(JsonObject spec)
    {
        var errors = new List<SpecError>();
        var top = new ConfigReader(spec, "", errors);
        var name = top.String(PipelineSpec.NameKey, required: true);
        if (name is not null && !ValidName().IsMatch(name))
        {
            top.Error(PipelineSpec.NameKey, "must be 1-64 letters, digits, '_', '-' or '.'");
        }

        var type = top.String(PipelineSpec.TypeKey, required: true);
        if (type is not null)
        {
            if (sources.Find(type) is { } source)
            {
                type = source.Type;
                if (validateConfigs)
                {
                    source.Validate(new ConfigReader((JsonObject)spec.DeepClone(), "", errors), sources.Access);
                }
            }
            else
            {
                top.Error(PipelineSpec.TypeKey, $"unknown data source type '{type}'; known: {string.Join(", ", sources.Types)}");
            }
        }

        var encrypt = top.Boolean(PipelineSpec.EncryptPayloadsKey, false);
        var pluginSpecs = ParsePlugins(spec, errors);
        var placement = PlacementRequirements.FromSpec(spec, errors);
        if (errors.Count > 0)
        {
            return new SpecResult(null, [.. errors]);
        }

        var canonical = (JsonObject)spec.DeepClone();
        Set(canonical, PipelineSpec.TypeKey, type!);
        return new SpecResult(new PipelineSpec(name!, type!, pluginSpecs, PipelineSpec.Canonical(canonical)) { Placement = placement, EncryptPayloads = encrypt }, []);
    }

    private ImmutableArray<PluginSpec> ParsePlugins(JsonObject spec, List<SpecError> errors)
    {
        var node = spec.FirstOrDefault(p => string.Equals(p.Key, PipelineSpec.PluginsKey, StringComparison.OrdinalIgnoreCase)).Value;
        if (node is null)
        {
            return [];
        }

        if (node is not JsonArray array)
        {
            errors.Add(new SpecError(PipelineSpec.PluginsKey, "must be an array"));
            return [];
        }

        if (array.Count > MaxPlugins)
        {
            errors.Add(new SpecError(PipelineSpec.PluginsKey, $"at most {MaxPlugins} plugins"));
            return [];
        }

        var result = ImmutableArray.CreateBuilder<PluginSpec>();
        var signatures = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var p = 0; p < array.Count; p++)
        {
            var path = $"{PipelineSpec.PluginsKey}[{p}]";
            if (array[p] is not JsonObject pluginJson)
            {
                errors.Add(new SpecError(path, "must be an object with SIGNATURE and INSTANCES"));
                continue;
            }

            var reader = new ConfigReader(pluginJson, path, errors);
            var signature = reader.String(PipelineSpec.SignatureKey, required: true);
            var descriptor = signature is null ? null : plugins.Find(signature);
            if (signature is not null && descriptor is null)
            {
                reader.Error(PipelineSpec.SignatureKey, $"unknown plugin signature '{signature}'; known: {string.Join(", ", plugins.Signatures)}");
            }
            else if (signature is not null && !signatures.Add(signature))
            {
                reader.Error(PipelineSpec.SignatureKey, $"'{signature}' appears twice: list its instances under one entry");
            }

            var instances = ParseInstances(pluginJson, path, validateConfigs ? descriptor : null, errors);
            if (descriptor is not null)
            {
                result.Add(new PluginSpec(descriptor.Signature, instances));
            }
        }

        return result.ToImmutable();
    }

    private static ImmutableArray<InstanceSpec> ParseInstances(JsonObject pluginJson, string path, PluginDescriptor? descriptor, List<SpecError> errors)
    {
        var node = pluginJson.FirstOrDefault(p => string.Equals(p.Key, PipelineSpec.InstancesKey, StringComparison.OrdinalIgnoreCase)).Value;
        if (node is not JsonArray array || array.Count == 0)
        {
            errors.Add(new SpecError($"{path}.{PipelineSpec.InstancesKey}", "must be a non-empty array"));
            return [];
        }

        if (array.Count > MaxInstancesPerPlugin)
        {
            errors.Add(new SpecError($"{path}.{PipelineSpec.InstancesKey}", $"at most {MaxInstancesPerPlugin} instances"));
            return [];
        }

        var result = ImmutableArray.CreateBuilder<InstanceSpec>();
        var ids = new HashSet<string>(StringComparer.OrdinalIgnoreCase); // ids are matched case-insensitively everywhere
        for (var i = 0; i < array.Count; i++)
        {
            var instancePath = $"{path}.{PipelineSpec.InstancesKey}[{i}]";
            if (array[i] is not JsonObject instanceJson)
            {
                errors.Add(new SpecError(instancePath, "must be an object with INSTANCE_ID"));
                continue;
            }

            var instance = ValidateInstance(instanceJson, instancePath, descriptor, errors);
            if (instance is null)
            {
                continue;
            }

            if (!ids.Add(instance.InstanceId))
            {
                errors.Add(new SpecError($"{instancePath}.{PipelineSpec.InstanceIdKey}", $"'{instance.InstanceId}' appears twice"));
                continue;
            }

            result.Add(instance);
        }

        return result.ToImmutable();
    }

    /// <summary>Validates one instance's config (common keys and the plugin's own); null when it has errors.</summary>
    public static InstanceSpec? ValidateInstance(JsonObject instanceJson, string path, PluginDescriptor? descriptor, List<SpecError> errors)
    {
        var before = errors.Count;
        var reader = new ConfigReader(instanceJson, path, errors);
        var id = reader.String(PipelineSpec.InstanceIdKey, required: true);
        if (id is not null && !ValidName().IsMatch(id))
        {
            reader.Error(PipelineSpec.InstanceIdKey, "must be 1-64 letters, digits, '_', '-' or '.'");
        }

        InstanceSettings.Read(reader);
        try
        {
            descriptor?.Validate(reader);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // A plugin's own check must not take down whoever asked (the front door, an entity): its failure is the answer.
            reader.Error(PipelineSpec.SignatureKey, $"{descriptor!.Signature} could not check this instance's config: {e.GetType().Name}: {Truncate(e.Message)}");
        }
        if (errors.Count > before || id is null)
        {
            return null;
        }

        var config = (JsonObject)instanceJson.DeepClone();
        foreach (var key in config.Select(p => p.Key).Where(k => string.Equals(k, PipelineSpec.InstanceIdKey, StringComparison.OrdinalIgnoreCase)).ToList())
        {
            config.Remove(key);
        }

        return new InstanceSpec(id, PipelineSpec.Canonical(config));
    }

    private static void Set(JsonObject json, string key, string value)
    {
        foreach (var existing in json.Select(p => p.Key).Where(k => string.Equals(k, key, StringComparison.OrdinalIgnoreCase)).ToList())
        {
            json.Remove(existing);
        }

        json[key] = value;
    }

    private static string Truncate(string text) => text.Length <= 300 ? text : text[..300] + "…";

    [GeneratedRegex("^[A-Za-z0-9_.-]{1,64}$")]
    private static partial Regex ValidName();
}

/// <summary>A parsed spec, or why not.</summary>
public sealed record SpecResult(PipelineSpec? Spec, ImmutableArray<SpecError> Errors)
{
    public bool IsValid => Spec is not null;

    public static SpecResult Invalid(SpecError error) => new(null, [error]);

    public string ErrorText => string.Join("; ", Errors);
}
