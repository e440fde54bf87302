using System.Text.Json.Nodes;
using Naeural.Actors.Payloads;

namespace Naeural.Actors.Client;

/// <summary>A payload as a subscriber gets it: in sequence order, once, with the outcome of its signature check.</summary>
/// <param name="Json">The envelope as the node signed it (for an encrypted payload: with <c>EE_ENCRYPTED_DATA</c>, not <c>DATA</c>).</param>
/// <param name="Signer">The node that signed it, when the client has a verifier and the signature is valid.</param>
public sealed record ReceivedPayload(string PipelineId, long Sequence, JsonObject Json, string? Signer, bool Verified)
{
    /// <summary>It came encrypted for the developer's key (<c>EE_IS_ENCRYPTED</c>) and was opened: <see cref="Data"/> is the plaintext.</summary>
    public bool Decrypted { get; init; }

    /// <summary>The opened <c>DATA</c> of an encrypted payload.</summary>
    public JsonNode? DecryptedData { get; init; }

    /// <summary>What the plugin emitted (decrypted, when it came encrypted).</summary>
    public JsonNode? Data => Decrypted ? DecryptedData : Json[PayloadFormat.DataField];

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
