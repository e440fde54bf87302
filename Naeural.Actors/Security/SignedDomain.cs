using System.Text.Json.Nodes;

namespace Naeural.Actors.Security;

/// <summary>
/// What an <c>EE_SENDER</c>-signed object is for, signed with it: the network it was made for (<c>EE_NETWORK</c>), the kind of
/// object (<c>EE_TYPE</c>) and the version of its format (<c>EE_VERSION</c>). A verifier refuses an object of another network
/// (a testnet command or mint never replays on another network) or of another type (a signed ledger request never passes
/// for a command, nor a receipt for a payload).
/// </summary>
/// <param name="Network">The network id (<see cref="NetworkIds"/>).</param>
/// <param name="Type">The object's kind, e.g. <c>naeural/command</c>.</param>
/// <param name="Version">The version of the object's format.</param>
public sealed record SignedDomain(string Network, string Type, int Version)
{
    public const string NetworkField = "EE_NETWORK";
    public const string TypeField = "EE_TYPE";
    public const string VersionField = "EE_VERSION";

    /// <summary>The code of a refusal for an object signed for another network.</summary>
    public const string WrongNetwork = "WRONG_NETWORK";

    /// <summary>The code of a refusal for an object of another kind or format version.</summary>
    public const string WrongType = "WRONG_TYPE";

    /// <summary>Writes the domain's fields into <paramref name="json"/> (before it is signed) and returns it.</summary>
    public JsonObject Stamp(JsonObject json)
    {
        json[NetworkField] = Network;
        json[TypeField] = Type;
        json[VersionField] = Version;
        return json;
    }

    /// <summary>
    /// The bytes a detached signature (one kept beside its object, not in it) is over: the canonical JSON of
    /// <paramref name="fields"/> stamped with this domain. Every node-signed object that is not an <c>EE_SENDER</c> envelope
    /// (heartbeats, address proofs, share reports, availability tables, replicated entries) is signed over these bytes.
    /// </summary>
    public byte[] Bytes(JsonObject fields) => CanonicalJson.Serialize(Stamp(fields));

    /// <summary>The detached signature of <paramref name="fields"/> in this domain by <paramref name="signer"/>.</summary>
    public string Sign(JsonObject fields, IMessageSigner signer) => signer.Sign(Bytes(fields)).Signature;

    /// <summary>
    /// Null when <paramref name="signature"/> is <paramref name="expectedSigner"/>'s detached signature of <paramref name="fields"/>
    /// in this domain (so neither another network's nor another type's signature passes); else why not. Never throws.
    /// </summary>
    public string? Problem(JsonObject fields, string? signature, string? expectedSigner, ISignatureVerifier verifier)
    {
        if (string.IsNullOrEmpty(signature) || string.IsNullOrEmpty(expectedSigner))
        {
            return "it is not signed";
        }

        try
        {
            return verifier.Verify(Bytes(fields), signature, expectedSigner)
                ? null
                : $"its signature is not {expectedSigner}'s for a {Type} (version {Version}) on network '{Network}'";
        }
        catch (Exception e) when (e is FormatException or ArgumentException)
        {
            return $"its signature is malformed: {e.Message}";
        }
    }

    /// <summary>Null when the (verified) <paramref name="json"/> carries exactly this domain, else the code and the reason.</summary>
    public DomainMismatch? Mismatch(JsonObject json)
    {
        var network = Text(json, NetworkField);
        if (!string.Equals(network, Network, StringComparison.Ordinal))
        {
            return new DomainMismatch(WrongNetwork, network is null
                ? $"{NetworkField} is missing: this node is on network '{Network}', and only what is signed for it counts here"
                : $"signed for network '{network}', but this is network '{Network}'");
        }

        var type = Text(json, TypeField);
        if (!string.Equals(type, Type, StringComparison.Ordinal)
            || json[VersionField] is not JsonValue v || !v.TryGetValue<int>(out var version) || version != Version)
        {
            return new DomainMismatch(WrongType, $"{TypeField} must be '{Type}' and {VersionField} {Version}, not '{type}' and {json[VersionField]?.ToJsonString() ?? "none"}");
        }

        return null;
    }

    private static string? Text(JsonObject json, string key) =>
        json[key] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
}

/// <summary>Why a signed object's domain is not the verifier's: <see cref="SignedDomain.WrongNetwork"/> or <see cref="SignedDomain.WrongType"/>.</summary>
public sealed record DomainMismatch(string Code, string Reason);

/// <summary>The types of every signed object (version 1 each; <c>EE_SENDER</c> envelopes and detached signatures alike), and network ids.</summary>
public static class NetworkIds
{
    /// <summary>The network a node joins, and a client signs for, unless told otherwise.</summary>
    public const string Default = "naeural-devnet";

    public const string CommandType = "naeural/command";
    public const string LedgerRequestType = "naeural/ledger-request";
    public const string SettleChannelType = "naeural/settle-channel";
    public const string WorkReceiptType = "naeural/work-receipt";
    public const string PayloadType = "naeural/payload";
    public const string EpochTableType = "naeural/epoch-table";
    public const string HeartbeatType = "naeural/heartbeat";
    public const string AddressProofType = "naeural/address-proof";
    public const string JobShareType = "naeural/job-share";
    public const string PipelineSummaryType = "naeural/pipeline-summary";
    public const string NodeOfferType = "naeural/node-offer";
    public const string PlacementType = "naeural/placement-requirements";
    public const string LedgerReplicaType = "naeural/ledger-replica";
    public const string ShardReleaseType = "naeural/shard-release";

    /// <summary>A developer command's domain on <paramref name="network"/>.</summary>
    public static SignedDomain Command(string network) => new(network, CommandType, 1);

    /// <summary>A ledger request's domain on <paramref name="network"/>.</summary>
    public static SignedDomain LedgerRequest(string network) => new(network, LedgerRequestType, 1);

    /// <summary>A signed settle's domain on <paramref name="network"/>.</summary>
    public static SignedDomain SettleChannel(string network) => new(network, SettleChannelType, 1);

    /// <summary>A node's work receipt's domain on <paramref name="network"/>.</summary>
    public static SignedDomain WorkReceipt(string network) => new(network, WorkReceiptType, 1);

    /// <summary>A node's payload's domain on <paramref name="network"/>.</summary>
    public static SignedDomain Payload(string network) => new(network, PayloadType, 1);

    /// <summary>An observer's epoch table's domain on <paramref name="network"/>.</summary>
    public static SignedDomain EpochTable(string network) => new(network, EpochTableType, 1);

    /// <summary>A node's heartbeat's domain on <paramref name="network"/>.</summary>
    public static SignedDomain Heartbeat(string network) => new(network, HeartbeatType, 1);

    /// <summary>A node's proof that it lives at a member address, on <paramref name="network"/>.</summary>
    public static SignedDomain AddressProof(string network) => new(network, AddressProofType, 1);

    /// <summary>A worker's report on a job share, on <paramref name="network"/>.</summary>
    public static SignedDomain JobShare(string network) => new(network, JobShareType, 1);

    /// <summary>A hosting node's replicated pipeline summary, on <paramref name="network"/>.</summary>
    public static SignedDomain PipelineSummary(string network) => new(network, PipelineSummaryType, 1);

    /// <summary>A node's recorded offer, on <paramref name="network"/>.</summary>
    public static SignedDomain NodeOffer(string network) => new(network, NodeOfferType, 1);

    /// <summary>A front door's replicated placement requirements of a pipeline, on <paramref name="network"/>.</summary>
    public static SignedDomain Placement(string network) => new(network, PlacementType, 1);

    /// <summary>A node giving up a pipeline's shard that a create does not fit (<c>ShardMisplaced</c>), on <paramref name="network"/>.</summary>
    public static SignedDomain ShardRelease(string network) => new(network, ShardReleaseType, 1);

    /// <summary>The embedded ledger's replicated journal (prepares, entries, appends), on <paramref name="network"/>.</summary>
    public static SignedDomain LedgerReplica(string network) => new(network, LedgerReplicaType, 1);

    /// <summary>
    /// Null when <paramref name="id"/> can name a network: 3 to 64 characters, lower-case letters, digits and '-', starting with
    /// a letter; else why not.
    /// </summary>
    public static string? Problem(string? id) =>
        id is { Length: >= 3 and <= 64 } && char.IsAsciiLetterLower(id[0]) && id.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-')
            ? null
            : $"'{id}' is not a network id: 3-64 characters, lower-case letters, digits and '-', starting with a letter (e.g. {Default})";
}
