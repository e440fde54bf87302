using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Naeural.Actors.Security;
using Naeural.Actors.Serialization;

namespace Naeural.Actors.Commands;

/// <summary>
/// A developer's command as it travels: the exact signed JSON text. Its fields, in the original's style:
/// <c>ACTION</c>, <c>PIPELINE</c> (the pipeline's name), optional <c>OWNER</c> (default: the signer), <c>PAYLOAD</c>,
/// <c>NONCE</c> (unique per command), <c>TIME</c> (Unix ms), the signed domain <c>EE_NETWORK</c>/<c>EE_TYPE</c>/<c>EE_VERSION</c>
/// (<see cref="NetworkIds.Command"/>: a command counts only on the network it was signed for), and the envelope
/// <c>EE_SENDER</c>/<c>EE_HASH</c>/<c>EE_SIGN</c>.
/// </summary>
[WireName("commands.signed-command")]
public sealed record SignedCommand(string Json)
{
    public const string ActionField = "ACTION";
    public const string PipelineField = "PIPELINE";
    public const string OwnerField = "OWNER";
    public const string PayloadField = "PAYLOAD";
    public const string NonceField = "NONCE";
    public const string TimeField = "TIME";

    /// <summary>Builds and signs a command for <paramref name="network"/> (default: <see cref="NetworkIds.Default"/>).</summary>
    public static SignedCommand Create(string action, string pipeline, JsonNode? payload, IMessageSigner signer, DateTimeOffset now, string? owner = null,
        string network = NetworkIds.Default)
    {
        var json = new JsonObject
        {
            [ActionField] = action,
            [PipelineField] = pipeline,
            [PayloadField] = payload?.DeepClone(),
            [NonceField] = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)),
            [TimeField] = now.ToUnixTimeMilliseconds(),
        };
        if (owner is not null)
        {
            json[OwnerField] = owner;
        }

        NetworkIds.Command(network).Stamp(json);
        return new SignedCommand(Encoding.UTF8.GetString(CanonicalJson.Serialize(SignedJson.Sign(json, signer))));
    }
}

/// <summary>The actions a pipeline obeys: the original's command names.</summary>
public static class PipelineActions
{
    public const string Create = "CREATE_PIPELINE";
    public const string UpdateConfig = "UPDATE_CONFIG";
    public const string AddInstance = "ADD_PIPELINE_INSTANCE";
    public const string UpdateInstance = "UPDATE_PIPELINE_INSTANCE";
    public const string RemoveInstance = "REMOVE_PIPELINE_INSTANCE";
    public const string PipelineCommand = "PIPELINE_COMMAND";
    public const string InstanceCommand = "INSTANCE_COMMAND";
    public const string Stop = "STOP";
    public const string Start = "START";
    public const string Archive = "ARCHIVE_CONFIG";
    public const string Subscribe = "SUBSCRIBE_PAYLOADS";

    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal)
    {
        Create, UpdateConfig, AddInstance, UpdateInstance, RemoveInstance, PipelineCommand, InstanceCommand, Stop, Start, Archive, Subscribe,
    };
}
