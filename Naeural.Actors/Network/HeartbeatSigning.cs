using System.Globalization;
using System.Text.Json.Nodes;
using Naeural.Actors.Nodes;
using Naeural.Actors.Security;

namespace Naeural.Actors.Network;

/// <summary>
/// The heartbeat's signing domain: canonical JSON of every <see cref="NodeResources"/> field, stamped with
/// <see cref="NetworkIds.Heartbeat"/> (<c>EE_NETWORK</c>, <c>EE_TYPE</c> "naeural/heartbeat", <c>EE_VERSION</c> 1: a heartbeat
/// signed for one network does not verify in another). The address proof (<see cref="ProofBytes"/>) has its own type
/// (<see cref="NetworkIds.AddressProof"/>), so neither signature can pass for the other.
/// </summary>
public static class HeartbeatSigning
{
    /// <summary>The network id heartbeats are signed in unless the node's settings name another (<c>--network-id</c>).</summary>
    public const string DefaultNetwork = Security.NetworkIds.Default;

    public static SignedHeartbeat Sign(NodeResources resources, IMessageSigner signer, string network) =>
        new(resources, signer.Sign(Bytes(resources, network)).Signature);

    /// <summary>The canonical bytes a heartbeat's signature is over.</summary>
    public static byte[] Bytes(NodeResources r, string network) => NetworkIds.Heartbeat(network).Bytes(new JsonObject
    {
        ["NODE_ID"] = r.NodeId,
        ["AKKA_ADDRESS"] = r.AkkaAddress,
        ["ALIAS"] = r.Alias,
        ["CORES"] = r.Cores,
        ["TOTAL_MEMORY_MB"] = r.TotalMemoryMb,
        ["FREE_MEMORY_MB"] = r.FreeMemoryMb,
        ["CPU_LOAD"] = r.CpuLoad.ToString("R", CultureInfo.InvariantCulture),
        ["GPU"] = r.Gpu is { } gpu ? new JsonObject { ["NAME"] = gpu.Name, ["MEMORY_MB"] = gpu.MemoryMb } : null,
        ["MODELS"] = Strings(r.Models),
        ["PIPELINES"] = Strings(r.Pipelines),
        ["TAGS"] = Strings(r.Tags),
        ["ALLOWED_OWNERS"] = Strings(r.AllowedOwners),
        ["PRICE_PER_UNIT"] = r.PricePerUnit,
        ["SEQUENCE"] = r.Sequence,
        ["UPDATED_AT"] = r.UpdatedAt.UtcTicks,
        ["OFFERED_MODELS"] = Strings(r.OfferedModels),
        ["PAYLOADS_EMITTED"] = r.PayloadsEmitted,
        ["SECURED"] = r.Secured,
        ["SINCE"] = r.Since?.UtcTicks,
    });

    /// <summary>The canonical bytes of an address proof: node <paramref name="nodeId"/> is at <paramref name="akkaAddress"/>.</summary>
    public static byte[] ProofBytes(string nonce, string nodeId, string akkaAddress, string network) => NetworkIds.AddressProof(network).Bytes(new JsonObject
    {
        ["NONCE"] = nonce,
        ["NODE_ID"] = nodeId,
        ["AKKA_ADDRESS"] = akkaAddress,
    });

    /// <summary>A nonce a view asks to be signed: 32 hex digits (a publisher signs nothing else).</summary>
    public static bool IsNonce(string? nonce) => nonce is { Length: 32 } && nonce.All(char.IsAsciiHexDigit);

    private static JsonArray Strings(System.Collections.Immutable.ImmutableArray<string> values) =>
        new([.. (values.IsDefault ? [] : values).Select(v => (JsonNode?)JsonValue.Create(v))]);
}
