using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Naeural.Actors.Pipelines;

namespace Naeural.Actors.Jobs;

/// <summary>
/// A distributed job, in the original's JSON style:
/// <c>{ "NAME": "daily", "WORKERS": 3, "PLUGIN": "STATS", "CONFIG": { "FIELD": "t" }, "INPUT": [ {"t": 1.5}, … ] }</c>.
/// <c>INPUT</c> is split into <c>WORKERS</c> contiguous shares whose sizes differ by at most one row.
/// </summary>
public sealed partial record JobSpec(string Name, int Workers, string Plugin, JsonObject Config, JsonArray Input)
{
    public const string NameKey = "NAME";
    public const string WorkersKey = "WORKERS";
    public const string PluginKey = "PLUGIN";
    public const string ConfigKey = "CONFIG";
    public const string InputKey = "INPUT";

    /// <summary>The spec, or every problem it has (each naming its field); <paramref name="plugins"/> checks <c>PLUGIN</c>, <c>CONFIG</c> and <c>INPUT</c>.</summary>
    public static JobSpecResult Parse(JsonObject json, JobCatalogue plugins, PipelineSettings settings)
    {
        var errors = new List<SpecError>();
        var top = new ConfigReader(json, "", errors);
        var name = top.String(NameKey, required: true);
        if (name is not null && !ValidName().IsMatch(name))
        {
            top.Error(NameKey, "must be 1-64 letters, digits, '_', '-' or '.'");
        }

        var workers = top.Integer(WorkersKey, 1, min: 1, max: settings.MaxJobWorkers);
        var pluginName = top.String(PluginKey, required: true);
        var plugin = pluginName is null ? null : plugins.Find(pluginName);
        if (pluginName is not null && plugin is null)
        {
            return JobSpecResult.UnknownPlugin(new SpecError(PluginKey, $"unknown job plugin '{pluginName}'; known: {string.Join(", ", plugins.Names)}"));
        }

        var config = Find(json, ConfigKey) switch
        {
            null => new JsonObject(),
            JsonObject o => (JsonObject)o.DeepClone(),
            _ => Invalid(errors, ConfigKey, "must be an object"),
        };
        var input = Find(json, InputKey) as JsonArray;
        if (input is null)
        {
            top.Error(InputKey, "is required: an array of rows");
        }
        else if (input.Count > settings.MaxJobRows)
        {
            top.Error(InputKey, $"has {input.Count} rows, over the {settings.MaxJobRows}-row limit");
        }
        else if (input.Count < workers)
        {
            top.Error(WorkersKey, $"{workers} is more than the {input.Count} row(s) of {InputKey}");
        }

        if (plugin is not null && input is not null && errors.Count == 0)
        {
            errors.AddRange(plugin.Validate(config, [.. input]).Take(10));
        }

        return errors.Count > 0
            ? new JobSpecResult(null, [.. errors], false)
            : new JobSpecResult(new JobSpec(name!, workers, plugin!.Name, config, (JsonArray)input!.DeepClone()), [], false);
    }

    /// <summary>The spec as persisted: exactly these five keys, <c>PLUGIN</c> as the catalogue spells it.</summary>
    public JsonObject ToJson() => new()
    {
        [NameKey] = Name,
        [WorkersKey] = Workers,
        [PluginKey] = Plugin,
        [ConfigKey] = Config.DeepClone(),
        [InputKey] = Input.DeepClone(),
    };

    /// <summary>Reads a spec this node persisted (<see cref="ToJson"/>): trusted, so shape only.</summary>
    public static JobSpec Load(string json)
    {
        var o = JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { MaxDepth = 64 })!.AsObject();
        return new JobSpec(o[NameKey]!.GetValue<string>(), o[WorkersKey]!.GetValue<int>(), o[PluginKey]!.GetValue<string>(),
            (JsonObject)o[ConfigKey]!.DeepClone(), (JsonArray)o[InputKey]!.DeepClone());
    }

    /// <summary>Share <paramref name="index"/> of <paramref name="workers"/>: its first row and how many rows it has.</summary>
    public static (int Offset, int Count) Split(int rows, int workers, int index)
    {
        var start = (int)((long)rows * index / workers);
        var end = (int)((long)rows * (index + 1) / workers);
        return (start, end - start);
    }

    /// <summary>The input rows of every share, in share order.</summary>
    public static ImmutableArray<JobShare> Shares(JsonArray input, int workers) =>
        [.. Enumerable.Range(0, workers).Select(i =>
        {
            var (offset, count) = Split(input.Count, workers, i);
            return new JobShare(i, offset, [.. input.Skip(offset).Take(count).Select(r => r?.DeepClone())]);
        })];

    private static JsonNode? Find(JsonObject json, string key) =>
        json.FirstOrDefault(p => string.Equals(p.Key, key, StringComparison.OrdinalIgnoreCase)).Value;

    private static JsonObject Invalid(List<SpecError> errors, string key, string message)
    {
        errors.Add(new SpecError(key, message));
        return [];
    }

    [GeneratedRegex("^[A-Za-z0-9_.-]{1,64}$")]
    private static partial Regex ValidName();
}

/// <summary>A parsed job spec, or why not (<see cref="IsUnknownPlugin"/>: the one problem is a <c>PLUGIN</c> this node doesn't know).</summary>
public sealed record JobSpecResult(JobSpec? Spec, ImmutableArray<SpecError> Errors, bool IsUnknownPlugin)
{
    public static JobSpecResult UnknownPlugin(SpecError error) => new(null, [error], true);

    public static JobSpecResult Invalid(SpecError error) => new(null, [error], false);

    public static JobSpecResult Parse(string json, JobCatalogue plugins, PipelineSettings settings)
    {
        try
        {
            return JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { MaxDepth = 32 }) is JsonObject obj
                ? JobSpec.Parse(obj, plugins, settings)
                : Invalid(new SpecError("$", "must be a JSON object"));
        }
        catch (JsonException e)
        {
            return Invalid(new SpecError("$", $"is not valid JSON: {e.Message}"));
        }
    }

    public string ErrorText => string.Join("; ", Errors);
}
