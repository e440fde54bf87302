using System.Collections.Immutable;
using System.Globalization;
using System.Numerics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Naeural.Actors.Security;
using Naeural.Ledger.Epochs;
using Naeural.Actors.Serialization;

namespace Naeural.Ledger.Channels;

/// <summary>
/// A ledger request as it travels from outside a node: the exact signed JSON text, signed by the acting party
/// (<c>EE_SENDER</c>: the payer opens, requests a close and reclaims; the payee settles; a mint authority mints). Its fields:
/// <c>LEDGER_ACTION</c>, the action's own fields, <c>NONCE</c> (unique per request), <c>TIME</c> (Unix ms) and the signed domain
/// <c>EE_NETWORK</c>/<c>EE_TYPE</c>/<c>EE_VERSION</c> (<see cref="NetworkIds.LedgerRequest"/>: a request, a mint say, counts only
/// on the network it was signed for).
/// </summary>
[WireName("ledger.channels.signed-ledger-request")]
public sealed record SignedLedgerRequest(string Json);

/// <summary>A signed request the gate opened: the request it stands for (its party is the signer), its nonce and time.</summary>
public sealed record OpenedLedgerRequest(ILedgerRequest Request, string Signer, string Nonce, long TimeMs);

/// <summary>A signed ledger request that can't be accepted, with a code (<see cref="LedgerRequests"/>) and the reason.</summary>
public sealed class LedgerRequestException(string code, string reason) : Exception($"{code}: {reason}")
{
    public string Code { get; } = code;

    public string Reason { get; } = reason;
}

/// <summary>Signing and opening <see cref="SignedLedgerRequest"/>s: the party of each request is the key that signed it.</summary>
public static class LedgerRequests
{
    public const string Mint = "MINT";
    public const string Open = "OPEN_CHANNEL";
    public const string Settle = "SETTLE";
    public const string RequestClose = "REQUEST_CLOSE";
    public const string Reclaim = "RECLAIM";
    public const string SetObservers = "SET_OBSERVERS";
    public const string FundEpoch = "FUND_EPOCH";
    public const string ClaimReward = "CLAIM_REWARD";
    public const string GrantLicence = "GRANT_LICENCE";
    public const string RevokeLicence = "REVOKE_LICENCE";

    public const string Unsigned = "UNSIGNED";
    public const string Malformed = "MALFORMED";
    public const string BadSignature = "BAD_SIGNATURE";
    public const string Stale = "STALE";
    public const string Replayed = "REPLAYED";

    /// <summary>The embedded ledger could not have a change confirmed by a majority of the members (local stores: replicated journal).</summary>
    public const string NotReplicated = "NOT_REPLICATED";

    /// <summary>The embedded ledger's journal failed to store a change (not replicated: the local store failed).</summary>
    public const string NotStored = "NOT_STORED";

    /// <summary>What a client is told when the ledger's journal did not take a change: the ledger restarts and recovers.</summary>
    public static string PersistFailure(Exception cause) =>
        (cause.Message.StartsWith(NotReplicated, StringComparison.Ordinal) ? cause.Message : $"{NotStored}: {cause.Message}")
        + ". The ledger restarts from its journal; this change may or may not take effect: read the ledger before signing it again";
    public const string NotAuthorised = "NOT_AUTHORISED";
    public const string WrongNetwork = SignedDomain.WrongNetwork;

    private const string ActionField = "LEDGER_ACTION";
    private const string NonceField = "NONCE";
    private const string TimeField = "TIME";
    private const long MaxDurationMs = 100L * 365 * 24 * 3600 * 1000;

    /// <summary>Signs <paramref name="request"/> for <paramref name="network"/> as <paramref name="party"/>, who must be the request's acting party.</summary>
    public static SignedLedgerRequest Sign(ILedgerRequest request, IMessageSigner party, DateTimeOffset now, string network = NetworkIds.Default)
    {
        var (actor, json) = request switch
        {
            MintTokens m => (null, new JsonObject { [ActionField] = Mint, ["TO"] = m.To, ["AMOUNT"] = Text(m.Amount) }),
            OpenChannel o => (o.Payer, new JsonObject
            {
                [ActionField] = Open, ["CHANNEL_ID"] = o.Terms.ChannelId, ["PAYER"] = o.Terms.Payer, ["PAYEE"] = o.Terms.Payee,
                ["DEPOSIT"] = Text(o.Terms.Deposit), ["DURATION_MS"] = (long)o.Duration.TotalMilliseconds,
            }),
            SettleWithVoucher s => (s.Payee, new JsonObject
            {
                [ActionField] = Settle, ["CHANNEL_ID"] = s.Best.Voucher.ChannelId, ["AMOUNT"] = Text(s.Best.Voucher.CumulativeAmount),
                ["VOUCHER_NONCE"] = Text(s.Best.Voucher.Nonce), ["VOUCHER_SIGNATURE"] = s.Best.Signature,
            }),
            RequestChannelClose r => (r.Payer, new JsonObject
            {
                [ActionField] = RequestClose, ["CHANNEL_ID"] = r.ChannelId, ["DISPUTE_WINDOW_MS"] = (long)r.DisputeWindow.TotalMilliseconds,
            }),
            ReclaimDeposit r => (r.Payer, new JsonObject { [ActionField] = Reclaim, ["CHANNEL_ID"] = r.ChannelId }),
            SetRewardObservers o => (null, new JsonObject
            {
                [ActionField] = SetObservers, ["OBSERVERS"] = Strings(o.Observers), ["THRESHOLD"] = o.Threshold,
            }),
            FundEpochRewards f => (null, new JsonObject { [ActionField] = FundEpoch, ["EPOCH"] = f.Epoch, ["AMOUNT"] = Text(f.Amount) }),
            ClaimEpochReward c => (c.Claimant, new JsonObject
            {
                [ActionField] = ClaimReward, ["EPOCH"] = c.Result.Epoch,
                ["NODES"] = Strings(c.Result.Agreed.Keys), ["AVAILABILITIES"] = new JsonArray([.. c.Result.Agreed.Values.Select(v => (JsonNode)(int)v)]),
                ["SIGNATURES"] = Strings(c.Signatures.IsDefault ? [] : c.Signatures),
            }),
            GrantNodeLicence g => (null, new JsonObject { [ActionField] = GrantLicence, ["NODE"] = g.Node }),
            RevokeNodeLicence r => (null, new JsonObject { [ActionField] = RevokeLicence, ["NODE"] = r.Node }),
            _ => throw new ArgumentException($"{request.GetType().Name} is not a ledger request a party signs"),
        };
        if (actor is not null && !AccountAddress.Same(actor, party.Address))
        {
            throw new ArgumentException($"{party.Address} can't sign a {request.GetType().Name} whose party is {actor}");
        }

        json[NonceField] = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        json[TimeField] = now.ToUnixTimeMilliseconds();
        NetworkIds.LedgerRequest(network).Stamp(json);
        return new SignedLedgerRequest(Encoding.UTF8.GetString(CanonicalJson.Serialize(SignedJson.Sign(json, party))));
    }

    /// <summary>
    /// Verifies the signature, the domain (<paramref name="network"/>'s ledger requests) and freshness and reads the request, its
    /// party being the signer; throws with a code otherwise.
    /// </summary>
    public static OpenedLedgerRequest OpenRequest(SignedLedgerRequest signed, ISignatureVerifier verifier, string network, DateTimeOffset now, TimeSpan freshness)
    {
        JsonObject json;
        try
        {
            json = JsonNode.Parse(signed.Json ?? "", documentOptions: new JsonDocumentOptions { MaxDepth = 8 }) as JsonObject
                   ?? throw new LedgerRequestException(Malformed, "a ledger request is a JSON object");
            _ = json.Count;
        }
        catch (Exception e) when (e is JsonException or ArgumentException or InvalidOperationException)
        {
            throw new LedgerRequestException(Malformed, $"not valid JSON: {e.Message}");
        }

        var check = SignedJson.Verify(json, verifier);
        if (!check.IsValid)
        {
            throw new LedgerRequestException(BadSignature, check.Error!);
        }

        if (NetworkIds.LedgerRequest(network).Mismatch(json) is { } mismatch)
        {
            throw new LedgerRequestException(mismatch.Code == SignedDomain.WrongNetwork ? WrongNetwork : Malformed, mismatch.Reason);
        }

        var nonce = Field(json, NonceField);
        if (nonce.Length is < 8 or > 128)
        {
            throw new LedgerRequestException(Malformed, $"{NonceField} must be 8-128 characters");
        }

        var time = Long(json, TimeField);
        var age = now - DateTimeOffset.FromUnixTimeMilliseconds(Math.Clamp(time, 0, 253_402_300_799_000));
        if (age > freshness || age < -freshness)
        {
            throw new LedgerRequestException(Stale, $"{TimeField} is {age.TotalSeconds:0} s from the ledger's clock; the window is ±{freshness.TotalSeconds:0} s");
        }

        var signer = check.Signer!;
        ILedgerRequest request = Field(json, ActionField) switch
        {
            Mint => new MintTokens(Field(json, "TO"), Amount(json, "AMOUNT")),
            Open => new OpenChannel(signer, new ChannelTerms(Field(json, "CHANNEL_ID"), Field(json, "PAYER"), Field(json, "PAYEE"), Amount(json, "DEPOSIT")),
                Duration(json, "DURATION_MS")),
            Settle => new SettleWithVoucher(signer, new SignedVoucher(
                new Voucher(Field(json, "CHANNEL_ID"), Amount(json, "AMOUNT"), Amount(json, "VOUCHER_NONCE")), Field(json, "VOUCHER_SIGNATURE"))),
            RequestClose => new RequestChannelClose(signer, Field(json, "CHANNEL_ID"), Duration(json, "DISPUTE_WINDOW_MS")),
            Reclaim => new ReclaimDeposit(signer, Field(json, "CHANNEL_ID")),
            SetObservers => new SetRewardObservers(StringList(json, "OBSERVERS"), (int)Long(json, "THRESHOLD")),
            FundEpoch => new FundEpochRewards(Long(json, "EPOCH"), Amount(json, "AMOUNT")),
            ClaimReward => new ClaimEpochReward(signer, Result(json), StringList(json, "SIGNATURES")),
            GrantLicence => new GrantNodeLicence(Field(json, "NODE")),
            RevokeLicence => new RevokeNodeLicence(Field(json, "NODE")),
            var other => throw new LedgerRequestException(Malformed,
                $"{ActionField} '{other}' is not one of {Mint}, {Open}, {Settle}, {RequestClose}, {Reclaim}, {SetObservers}, {FundEpoch}, {ClaimReward}, {GrantLicence}, {RevokeLicence}"),
        };
        return new OpenedLedgerRequest(request, signer, nonce, time);
    }

    /// <summary>Requests only a ledger authority may sign (mint, observer registry, epoch pools, node licences).</summary>
    public static bool NeedsAuthority(ILedgerRequest request) =>
        request is MintTokens or SetRewardObservers or FundEpochRewards or GrantNodeLicence or RevokeNodeLicence;

    private static string Text(BigInteger value) => value.ToString(CultureInfo.InvariantCulture);

    private static JsonArray Strings(IEnumerable<string> values) => new([.. values.Select(v => (JsonNode)v)]);

    private static ImmutableArray<string> StringList(JsonObject json, string key) =>
        json[key] is JsonArray array && array.All(i => i is JsonValue v && v.TryGetValue<string>(out _))
            ? [.. array.Select(i => i!.GetValue<string>())]
            : throw new LedgerRequestException(Malformed, $"{key} (an array of strings) is required");

    private static EpochResult Result(JsonObject json)
    {
        var nodes = StringList(json, "NODES");
        var values = json["AVAILABILITIES"] is JsonArray array && array.All(i => i is JsonValue v && v.TryGetValue<int>(out var n) && n is >= 0 and <= 255)
            ? array.Select(i => (byte)i!.GetValue<int>()).ToArray()
            : throw new LedgerRequestException(Malformed, "AVAILABILITIES (an array of 0-255) is required");
        if (values.Length != nodes.Length || nodes.Distinct(AccountAddress.Comparer).Count() != nodes.Length)
        {
            throw new LedgerRequestException(Malformed, "NODES must be distinct, one per AVAILABILITIES value");
        }

        return new EpochResult(Long(json, "EPOCH"), nodes.Zip(values)
            .ToImmutableSortedDictionary(p => p.First.ToLowerInvariant(), p => p.Second, StringComparer.Ordinal));
    }

    private static string Field(JsonObject json, string key) =>
        json[key] is JsonValue v && v.TryGetValue<string>(out var s) ? s : throw new LedgerRequestException(Malformed, $"{key} (a string) is required");

    private static long Long(JsonObject json, string key) =>
        json[key] is JsonValue v && v.TryGetValue<long>(out var n) && n >= 0
            ? n
            : throw new LedgerRequestException(Malformed, $"{key} (a non-negative integer) is required");

    private static TimeSpan Duration(JsonObject json, string key) =>
        Long(json, key) is var ms && ms <= MaxDurationMs
            ? TimeSpan.FromMilliseconds(ms)
            : throw new LedgerRequestException(Malformed, $"{key} is over {MaxDurationMs} ms");

    private static BigInteger Amount(JsonObject json, string key) =>
        BigInteger.TryParse(Field(json, key), NumberStyles.None, CultureInfo.InvariantCulture, out var amount)
            ? amount
            : throw new LedgerRequestException(Malformed, $"{key} must be a non-negative decimal integer");
}
