using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Nodes;
using Naeural.Actors.Nodes;
using Naeural.Actors.Pipelines;
using Naeural.Actors.Security;

namespace Naeural.Actors.Placement;

/// <summary>
/// Where a pipeline may run, from its spec's optional <c>PLACEMENT</c> object: <c>GPU</c> (true: a node with a GPU),
/// <c>MIN_MEMORY_MB</c> (free memory), <c>MODELS</c> (models the node serves or offers), <c>TAGS</c> (all of them),
/// <c>NODE</c> (pinned to one node id) and <c>MAX_PRICE</c> (the node's price per unit at most). Whatever it asks, a node
/// that doesn't allow the pipeline's owner never fits.
/// </summary>
public sealed record PlacementRequirements(
    bool Gpu,
    long MinMemoryMb,
    ImmutableArray<string> Models,
    ImmutableArray<string> Tags,
    string? Node,
    long? MaxPrice)
{
    public const string Key = "PLACEMENT";

    public static PlacementRequirements None { get; } = new(false, 0, [], [], null, null);

    /// <summary>The spec's requirements, adding a <see cref="SpecError"/> naming the field for each bad value.</summary>
    public static PlacementRequirements FromSpec(JsonObject spec, List<SpecError> errors)
    {
        var node = spec.FirstOrDefault(p => string.Equals(p.Key, Key, StringComparison.OrdinalIgnoreCase)).Value;
        if (node is null)
        {
            return None;
        }

        if (node is not JsonObject placement)
        {
            errors.Add(new SpecError(Key, "must be an object"));
            return None;
        }

        var reader = new ConfigReader(placement, Key, errors);
        var maxPrice = reader.Has("MAX_PRICE") ? (long)reader.Number("MAX_PRICE", 0, min: 0) : (long?)null;
        var pinned = reader.String("NODE");
        if (pinned is not null && !AccountAddress.IsValid(pinned))
        {
            reader.Error("NODE", "must be a node id (0x followed by 40 hex digits)");
        }

        return new PlacementRequirements(
            reader.Boolean("GPU", false),
            (long)reader.Number("MIN_MEMORY_MB", 0, min: 0),
            Strings(placement, "MODELS", errors),
            Strings(placement, "TAGS", errors),
            pinned,
            maxPrice);
    }

    /// <summary>Why <paramref name="node"/> can't run <paramref name="owner"/>'s pipeline, or null when it fits.</summary>
    public string? Misfit(NodeResources node, string owner)
    {
        if (!node.Allows(owner))
        {
            return node.Secured ? "is secured and does not list the owner" : "does not allow the owner";
        }

        if (Node is not null && !AccountAddress.Same(Node, node.NodeId))
        {
            return $"is not the pinned node {Node}";
        }

        if (Gpu && node.Gpu is null)
        {
            return "has no GPU";
        }

        if (node.FreeMemoryMb < MinMemoryMb)
        {
            return $"has {node.FreeMemoryMb} MB free, below {MinMemoryMb} MB";
        }

        if (MaxPrice is { } ceiling && node.PricePerUnit > ceiling)
        {
            return $"charges {node.PricePerUnit} per unit, above {ceiling}";
        }

        var missingTag = Tags.FirstOrDefault(t => !node.Tags.Contains(t, StringComparer.OrdinalIgnoreCase));
        if (missingTag is not null)
        {
            return $"lacks tag '{missingTag}'";
        }

        var missingModel = Models.FirstOrDefault(m => !node.Models.Contains(m, StringComparer.OrdinalIgnoreCase)
                                                      && !node.OfferedModels.Contains(m, StringComparer.OrdinalIgnoreCase));
        return missingModel is null ? null : $"does not serve model '{missingModel}'";
    }

    /// <summary>The owner part of a pipeline id (<c>owner/name</c>).</summary>
    public static string OwnerOf(string pipelineId) => pipelineId.Split('/')[0];

    private static ImmutableArray<string> Strings(JsonObject placement, string key, List<SpecError> errors)
    {
        var node = placement.FirstOrDefault(p => string.Equals(p.Key, key, StringComparison.OrdinalIgnoreCase)).Value;
        if (node is null)
        {
            return [];
        }

        if (node is JsonArray array && array.All(i => i?.GetValueKind() == JsonValueKind.String))
        {
            return [.. array.Select(i => i!.GetValue<string>())];
        }

        errors.Add(new SpecError($"{Key}.{key}", "must be an array of strings"));
        return [];
    }
}
