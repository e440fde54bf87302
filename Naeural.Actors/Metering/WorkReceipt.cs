using System.Collections.Immutable;
using System.Globalization;
using System.Numerics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Naeural.Actors.Security;
using Naeural.Actors.Serialization;

namespace Naeural.Actors.Metering;

/// <summary>A receipt as it travels and is kept: the node-signed JSON, with its owner, number and total as unverified routing hints.</summary>
[WireName("metering.signed-work-receipt")]
public sealed record SignedWorkReceipt(string Owner, long Sequence, BigInteger BilledTotal, string Json);

/// <summary>One line of a receipt: what ran for which pipeline, and how many units of it.</summary>
public sealed record WorkLine(string PipelineId, string Source, string Kind, long Units);

/// <summary>
/// What a node says it did for an owner in one period: units per kind (and per pipeline and source), priced at the node's
/// price per unit, numbered per owner, with the total billed so far. Signed by the node key in the payloads' scheme
/// (<see cref="SignedJson"/> over canonical JSON) with a receipt's domain (<see cref="NetworkIds.WorkReceipt"/>: <c>EE_NETWORK</c>,
/// <c>EE_TYPE</c> "naeural/work-receipt", <c>EE_VERSION</c> 1), so the owner can check it before paying for it, and a receipt
/// of another network, or another object the node signed, never passes for one.
/// </summary>
public sealed record WorkReceipt(
    string NodeId,
    string Owner,
    long Sequence,
    DateTimeOffset PeriodStart,
    DateTimeOffset PeriodEnd,
    ImmutableSortedDictionary<string, long> Units,
    ImmutableArray<WorkLine> Lines,
    BigInteger PricePerUnit,
    BigInteger Amount,
    BigInteger BilledTotal)
{
    /// <summary>A receipt for <paramref name="lines"/>: units summed per kind, amount = units × price.</summary>
    public static WorkReceipt For(string nodeId, string owner, long sequence, DateTimeOffset start, DateTimeOffset end,
        IEnumerable<WorkLine> lines, BigInteger pricePerUnit, BigInteger billedBefore)
    {
        var sorted = lines.OrderBy(l => l.PipelineId, StringComparer.Ordinal).ThenBy(l => l.Source, StringComparer.Ordinal)
            .ThenBy(l => l.Kind, StringComparer.Ordinal).ToImmutableArray();
        var units = UnitsOf(sorted);
        var amount = units.Values.Aggregate(BigInteger.Zero, (sum, u) => sum + u) * pricePerUnit;
        return new WorkReceipt(nodeId, owner, sequence, start, end, units, sorted, pricePerUnit, amount, billedBefore + amount);
    }

    /// <summary>Signs the receipt with the node's key, for <paramref name="network"/>.</summary>
    public SignedWorkReceipt Sign(IMessageSigner node, string network)
    {
        var json = NetworkIds.WorkReceipt(network).Stamp(new JsonObject
        {
            ["NODE"] = NodeId,
            ["OWNER"] = Owner,
            ["SEQ"] = Sequence,
            ["PERIOD_START"] = PeriodStart.ToUnixTimeMilliseconds(),
            ["PERIOD_END"] = PeriodEnd.ToUnixTimeMilliseconds(),
            ["UNITS"] = new JsonObject(Units.Select(u => KeyValuePair.Create(u.Key, (JsonNode?)u.Value))),
            ["LINES"] = new JsonArray([.. Lines.Select(l => (JsonNode)new JsonObject
            {
                ["PIPELINE"] = l.PipelineId, ["SOURCE"] = l.Source, ["KIND"] = l.Kind, ["UNITS"] = l.Units,
            })]),
            ["PRICE_PER_UNIT"] = PricePerUnit.ToString(CultureInfo.InvariantCulture),
            ["AMOUNT"] = Amount.ToString(CultureInfo.InvariantCulture),
            ["BILLED_TOTAL"] = BilledTotal.ToString(CultureInfo.InvariantCulture),
        });
        var text = Encoding.UTF8.GetString(CanonicalJson.Serialize(SignedJson.Sign(json, node)));
        return new SignedWorkReceipt(Owner, Sequence, BilledTotal, text);
    }

    /// <summary>
    /// Reads a receipt only from its signed JSON (never from the hints beside it): the signature must be its node's, its domain
    /// a receipt's on <paramref name="network"/>, the units must add up to the lines and the amount to units × price. Null with
    /// the reason otherwise.
    /// </summary>
    public static (WorkReceipt? Receipt, string? Error) Open(SignedWorkReceipt signed, ISignatureVerifier verifier, string network)
    {
        try
        {
            if (JsonNode.Parse(signed.Json, documentOptions: new JsonDocumentOptions { MaxDepth = 16 }) is not JsonObject json)
            {
                return (null, "a receipt is a JSON object");
            }

            var check = SignedJson.Verify(json, verifier);
            if (!check.IsValid)
            {
                return (null, check.Error);
            }

            if (NetworkIds.WorkReceipt(network).Mismatch(json) is { } mismatch)
            {
                return (null, $"{mismatch.Code}: {mismatch.Reason}");
            }

            var node = Text(json, "NODE");
            if (!AccountAddress.Same(node, check.Signer))
            {
                return (null, $"signed by {check.Signer}, not by the node {node} it names");
            }

            var units = (json["UNITS"] as JsonObject ?? throw new FormatException("UNITS is required"))
                .ToImmutableSortedDictionary(u => u.Key, u => Long(u.Value, "UNITS." + u.Key), StringComparer.Ordinal);
            var lines = (json["LINES"] as JsonArray ?? throw new FormatException("LINES is required"))
                .Select(l => new WorkLine(Required(l, "PIPELINE"), Required(l, "SOURCE"), Required(l, "KIND"), Long(l?["UNITS"], "LINES.UNITS")))
                .ToImmutableArray();
            var receipt = new WorkReceipt(node!, Required(json, "OWNER"), Long(json["SEQ"], "SEQ"),
                DateTimeOffset.FromUnixTimeMilliseconds(Long(json["PERIOD_START"], "PERIOD_START")),
                DateTimeOffset.FromUnixTimeMilliseconds(Long(json["PERIOD_END"], "PERIOD_END")),
                units, lines, Integer(json, "PRICE_PER_UNIT"), Integer(json, "AMOUNT"), Integer(json, "BILLED_TOTAL"));
            if (lines.Any(l => l.Units <= 0) || !UnitsOf(lines).SequenceEqual(units))
            {
                return (null, "UNITS do not add up to the LINES");
            }

            var expected = units.Values.Aggregate(BigInteger.Zero, (sum, u) => sum + u) * receipt.PricePerUnit;
            return receipt.Amount == expected && receipt.PricePerUnit >= 0
                ? (receipt, null)
                : (null, $"AMOUNT {receipt.Amount} is not units × PRICE_PER_UNIT = {expected}");
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException or ArgumentException or OverflowException)
        {
            return (null, $"malformed receipt: {e.Message}");
        }
    }

    private static ImmutableSortedDictionary<string, long> UnitsOf(IEnumerable<WorkLine> lines) =>
        lines.GroupBy(l => l.Kind).ToImmutableSortedDictionary(g => g.Key, g => g.Sum(l => l.Units), StringComparer.Ordinal);

    private static string? Text(JsonNode? node, string key) => node?[key] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    private static string Required(JsonNode? node, string key) => Text(node, key) ?? throw new FormatException($"{key} is required");

    private static long Long(JsonNode? node, string name) =>
        node is JsonValue v && v.TryGetValue<long>(out var value) ? value : throw new FormatException($"{name} must be an integer");

    private static BigInteger Integer(JsonObject json, string key) =>
        BigInteger.Parse(Required(json, key), NumberStyles.None, CultureInfo.InvariantCulture);
}
