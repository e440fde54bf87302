using System.Text;
using System.Text.Json.Nodes;
using Naeural.Actors.Security;

namespace Naeural.Actors.Payloads;

/// <summary>
/// The payload a subscriber receives, in the original's envelope: <c>EE_PAYLOAD_PATH</c> = [node, pipeline, signature,
/// instance], <c>EE_MESSAGE_SEQ</c>, <c>EE_TIMESTAMP</c> (Unix ms), the plugin's <c>DATA</c>, signed by the emitting node.
/// </summary>
public static class PayloadFormat
{
    public const string PathField = "EE_PAYLOAD_PATH";
    public const string SequenceField = "EE_MESSAGE_SEQ";
    public const string TimestampField = "EE_TIMESTAMP";
    public const string DataField = "DATA";

    public static string Build(string nodeId, string pipelineName, PendingPayload payload, long sequence, IMessageSigner signer)
    {
        var json = new JsonObject
        {
            [PathField] = new JsonArray(nodeId, pipelineName, payload.Signature, payload.InstanceId),
            [SequenceField] = sequence,
            [TimestampField] = payload.At.ToUnixTimeMilliseconds(),
            [DataField] = JsonNode.Parse(payload.DataJson),
        };
        return Encoding.UTF8.GetString(CanonicalJson.Serialize(SignedJson.Sign(json, signer)));
    }
}
