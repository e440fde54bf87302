using System.Text.Json.Nodes;

namespace Naeural.Actors.Pipelines;

/// <summary>An immutable JSON config (canonical text) that actors can be given safely; each reader parses its own copy.</summary>
public sealed record JsonConfig(string Json)
{
    public static JsonConfig Empty { get; } = new("{}");

    public static JsonConfig From(JsonObject json) => new(PipelineSpec.Canonical(json));

    public JsonObject Object() => (JsonObject)JsonNode.Parse(Json)!;

    public ConfigReader Reader(string path = "") => new(Object(), path);
}
