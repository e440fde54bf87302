using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Naeural.Actors.Security;

namespace Naeural.Actors.Payloads;

/// <summary>
/// The payload a subscriber receives, in the original's envelope: <c>EE_PAYLOAD_PATH</c> = [node, pipeline, signature,
/// instance], <c>EE_MESSAGE_SEQ</c>, <c>EE_TIMESTAMP</c> (Unix ms), the plugin's <c>DATA</c>, signed by the emitting node
/// (<c>EE_SENDER</c>, <c>EE_HASH</c>, <c>EE_SIGN</c>) with the payload's signed domain (<c>EE_NETWORK</c>, <c>EE_TYPE</c>
/// "naeural/payload", <c>EE_VERSION</c> 1: <see cref="NetworkIds.Payload"/>), so a payload counts only on its network and
/// never passes for another signed object.
/// An encrypted payload (its pipeline asked for <c>ENCRYPT_PAYLOADS</c>) carries <c>EE_IS_ENCRYPTED: true</c>,
/// <c>EE_DESTINATION</c> (the owner) and <c>EE_ENCRYPTED_DATA</c> (base64 of the sealed <c>DATA</c>) instead of <c>DATA</c>;
/// the node's signature covers the whole envelope, so tampering shows before anyone decrypts.
/// </summary>
public static class PayloadFormat
{
    public const string PathField = "EE_PAYLOAD_PATH";
    public const string SequenceField = "EE_MESSAGE_SEQ";
    public const string TimestampField = "EE_TIMESTAMP";
    public const string DataField = "DATA";
    public const string IsEncryptedField = "EE_IS_ENCRYPTED";
    public const string EncryptedDataField = "EE_ENCRYPTED_DATA";
    public const string DestinationField = "EE_DESTINATION";

    public static string Build(string nodeId, string pipelineName, PendingPayload payload, long sequence, IMessageSigner signer,
        string network, PayloadEncryption? encryption = null)
    {
        var json = NetworkIds.Payload(network).Stamp(new JsonObject
        {
            [PathField] = new JsonArray(nodeId, pipelineName, payload.Signature, payload.InstanceId),
            [SequenceField] = sequence,
            [TimestampField] = payload.At.ToUnixTimeMilliseconds(),
        });
        if (encryption is null)
        {
            json[DataField] = JsonNode.Parse(payload.DataJson);
        }
        else
        {
            json[IsEncryptedField] = true;
            json[DestinationField] = encryption.Destination;
            var sealedData = encryption.Cipher.Seal(encryption.RecipientPublicKey, Encoding.UTF8.GetBytes(payload.DataJson), AssociatedData(json));
            json[EncryptedDataField] = Convert.ToBase64String(sealedData);
        }

        return Encoding.UTF8.GetString(CanonicalJson.Serialize(SignedJson.Sign(json, signer)));
    }

    /// <summary>True when the envelope says its data is encrypted.</summary>
    public static bool IsEncrypted(JsonObject envelope) =>
        envelope[IsEncryptedField] is JsonValue value && value.TryGetValue<bool>(out var encrypted) && encrypted;

    /// <summary>
    /// What the sealed data is bound to: the canonical JSON of the envelope's path, sequence, timestamp and destination, so a
    /// ciphertext moved into another payload (another pipeline, instance, sequence number or owner) does not open.
    /// </summary>
    public static byte[] AssociatedData(JsonObject envelope) => CanonicalJson.Serialize(new JsonObject
    {
        [PathField] = envelope[PathField]?.DeepClone(),
        [SequenceField] = envelope[SequenceField]?.DeepClone(),
        [TimestampField] = envelope[TimestampField]?.DeepClone(),
        [DestinationField] = envelope[DestinationField]?.DeepClone(),
    });

    /// <summary>The node a signed payload's path names (its signer), or null when the text is not such a payload.</summary>
    public static string? SignerNodeOf(string signedJson)
    {
        try
        {
            using var json = JsonDocument.Parse(signedJson);
            return json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty(PathField, out var path)
                   && path.ValueKind == JsonValueKind.Array && path.GetArrayLength() > 0 && path[0].ValueKind == JsonValueKind.String
                ? path[0].GetString()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

/// <summary>How an outbox seals its payloads: with this node's cipher, for the owner's public key, addressed to the owner.</summary>
/// <param name="RecipientPublicKey">The owner's public key (65 bytes, uncompressed), learnt from its signed create command.</param>
/// <param name="Destination">The owner's address (<c>EE_DESTINATION</c>).</param>
public sealed record PayloadEncryption(IPayloadCipher Cipher, byte[] RecipientPublicKey, string Destination);
