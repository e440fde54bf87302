using System.Text.Json.Nodes;
using Naeural.Actors.Payloads;

namespace Naeural.Actors.Client;

/// <summary>A payload as a subscriber gets it: in sequence order, once, with the outcome of its signature check.</summary>
/// <param name="Signer">The node that signed it, when the client has a verifier and the signature is valid.</param>
public sealed record ReceivedPayload(string PipelineId, long Sequence, JsonObject Json, string? Signer, bool Verified)
{
    /// <summary>What the plugin emitted.</summary>
    public JsonNode? Data => Json[PayloadFormat.DataField];

    /// <summary>[node, pipeline, signature, instance].</summary>
    public IReadOnlyList<string> Path => Json[PayloadFormat.PathField] is JsonArray path
        ? path.Select(p => p?.GetValue<string>() ?? "").ToList()
        : [];
}

/// <summary>A command the node refused: the code (see <see cref="Commands.RejectionCodes"/>) and the node's reason.</summary>
public sealed class PipelineCommandException(string code, string reason) : Exception($"{code}: {reason}")
{
    public string Code { get; } = code;

    public string Reason { get; } = reason;
}
