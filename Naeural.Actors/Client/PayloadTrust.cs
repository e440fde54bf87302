using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Nodes;
using Naeural.Actors.Payloads;
using Naeural.Actors.Security;

namespace Naeural.Actors.Client;

/// <summary>
/// What a subscriber checks on every payload before it takes its place in the sequence: a valid signature, by the node the
/// payload's <c>EE_PAYLOAD_PATH</c> names, which is one the relay vouched for (the pipeline's host, or a former host whose
/// payloads the outbox still keeps); the path's pipeline is the subscribed one, and the signed <c>EE_MESSAGE_SEQ</c> is the
/// number it travels under; its signed domain is a payload's on this <paramref name="network"/> (<see cref="NetworkIds.Payload"/>).
/// Plain code: the subscriber actor and the HTTP stream use it alike.
/// </summary>
public sealed class PayloadTrust(string pipelineId, string pipelineName, ISignatureVerifier verifier, string network)
{
    private readonly SignedDomain _domain = NetworkIds.Payload(network);

    private ImmutableHashSet<string> _signers = [];

    /// <summary>
    /// The nodes whose signatures payloads may carry, as the relay was told by the outbox that accepted the subscription;
    /// empty: any node, as long as it is the one the payload's path names.
    /// </summary>
    public void TrustSigners(ImmutableArray<string> signers) =>
        _signers = signers.IsDefaultOrEmpty ? [] : signers.ToImmutableHashSet(AccountAddress.Comparer);

    /// <summary>The parsed payload and its signature check, or why it must not be delivered.</summary>
    public (JsonObject? Json, SignatureCheck? Check, string? Error) Check(PayloadDelivered payload)
    {
        if (!string.Equals(payload.PipelineId, pipelineId, StringComparison.Ordinal))
        {
            return (null, null, $"it is for pipeline {payload.PipelineId}, not {pipelineId}");
        }

        JsonObject json;
        try
        {
            json = JsonNode.Parse(payload.SignedJson, documentOptions: new JsonDocumentOptions { MaxDepth = 64 }) as JsonObject
                   ?? throw new JsonException("not a JSON object");
        }
        catch (JsonException e)
        {
            return (null, null, $"it is not a JSON object: {e.Message}");
        }

        var check = SignedJson.Verify(json, verifier);
        if (!check.IsValid)
        {
            return (null, null, $"its signature does not check out: {check.Error}");
        }

        if (_domain.Mismatch(json) is { } mismatch)
        {
            return (null, null, $"{mismatch.Code}: {mismatch.Reason}");
        }

        var path = json[PayloadFormat.PathField] as JsonArray;
        var node = Text(path, 0);
        if (!AccountAddress.Same(node, check.Signer))
        {
            return (null, null, $"it is signed by {check.Signer}, not by the node its {PayloadFormat.PathField} names ({node ?? "none"})");
        }

        if (_signers.Count > 0 && !_signers.Contains(check.Signer!))
        {
            return (null, null, $"it is signed by {check.Signer}, which does not host {pipelineId} (hosts: {string.Join(", ", _signers)})");
        }

        if (!string.Equals(Text(path, 1), pipelineName, StringComparison.Ordinal))
        {
            return (null, null, $"its {PayloadFormat.PathField} names pipeline {Text(path, 1) ?? "none"}, not {pipelineName}");
        }

        if (json[PayloadFormat.SequenceField] is not JsonValue seq || !seq.TryGetValue<long>(out var signed) || signed != payload.Sequence)
        {
            return (null, null, $"it travels as #{payload.Sequence} but is signed with {PayloadFormat.SequenceField} {json[PayloadFormat.SequenceField]?.ToJsonString() ?? "none"}");
        }

        return (json, check, null);
    }

    private static string? Text(JsonArray? array, int index) =>
        array is not null && array.Count > index && array[index] is JsonValue v && v.TryGetValue<string>(out var text) ? text : null;
}
