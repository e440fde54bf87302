using System.Text.Json.Nodes;
using Naeural.Actors.Security;

namespace Naeural.Actors.Placement;

/// <summary>
/// A pipeline's placement requirements as the registry replicates them: signed by the node whose front door took the owner's
/// create (<see cref="Writer"/>), in the <see cref="NetworkIds.Placement"/> domain, over the pipeline id they are filed under.
/// Any member's front door may take a create, so any member may write; a reader takes an entry only when its writer signed
/// it for this pipeline id: a member cannot write in another node's name, and what it writes in its own is attributable.
/// </summary>
public sealed record SignedPlacement(PlacementRequirements Requirements, string Writer, string Signature)
{
    /// <summary>This node's signed requirements for <paramref name="pipelineId"/>.</summary>
    public static SignedPlacement Sign(string pipelineId, PlacementRequirements requirements, IMessageSigner writer, string network) =>
        new(requirements, writer.Address, NetworkIds.Placement(network).Sign(Fields(pipelineId, requirements, writer.Address), writer));

    /// <summary>Null when the entry is good under <paramref name="pipelineId"/> on <paramref name="network"/>, else why not (never throws).</summary>
    public static string? Problem(string pipelineId, SignedPlacement? entry, ISignatureVerifier verifier, string network) =>
        entry?.Requirements is not { } requirements ? "it carries no requirements"
        : !NodeIds.IsAddress(entry.Writer) ? $"its writer '{entry.Writer}' is not a node id"
        : NetworkIds.Placement(network).Problem(Fields(pipelineId, requirements, entry.Writer), entry.Signature, entry.Writer, verifier);

    /// <summary>Equal when every signed field and the signature are (lists by content): a re-gossiped copy is not checked again.</summary>
    public bool Equals(SignedPlacement? other) =>
        other is not null && Writer == other.Writer && Signature == other.Signature && Same(Requirements, other.Requirements);

    public override int GetHashCode() => HashCode.Combine(Writer, Signature);

    private static bool Same(PlacementRequirements? a, PlacementRequirements? b) =>
        ReferenceEquals(a, b) || (a is not null && b is not null && a.Gpu == b.Gpu && a.MinMemoryMb == b.MinMemoryMb
            && a.Node == b.Node && a.MaxPrice == b.MaxPrice
            && a.Models.AsSpan().SequenceEqual(b.Models.AsSpan()) && a.Tags.AsSpan().SequenceEqual(b.Tags.AsSpan()));

    private static JsonObject Fields(string pipelineId, PlacementRequirements r, string writer) => new()
    {
        ["PIPELINE_ID"] = pipelineId,
        ["WRITER"] = writer,
        ["GPU"] = r.Gpu,
        ["MIN_MEMORY_MB"] = r.MinMemoryMb,
        ["MODELS"] = Strings(r.Models),
        ["TAGS"] = Strings(r.Tags),
        ["NODE"] = r.Node,
        ["MAX_PRICE"] = r.MaxPrice,
    };

    private static JsonArray Strings(System.Collections.Immutable.ImmutableArray<string> values) =>
        new([.. (values.IsDefault ? [] : values).Select(v => (JsonNode?)JsonValue.Create(v))]);
}
