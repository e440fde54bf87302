using System.Text.Json.Nodes;
using Naeural.Actors.Pipelines;

namespace Naeural.Actors.Jobs.BuiltIn;

/// <summary>
/// <c>TOP_K</c>: the <c>CONFIG.K</c> (default 10, at most 1000) rows with the largest value (the row's number, or its
/// <c>CONFIG.FIELD</c>), largest first; equal values in input order. Each share keeps its own top K with their global row
/// index, so merging the shares' lists gives exactly the single-worker answer.
/// </summary>
public sealed class TopKJobPlugin : IJobPlugin
{
    public const string KKey = "K";
    public const int MaxK = 1000;

    public string Name => "TOP_K";

    public string Description => "the K rows with the largest value of a numeric field, ties in input order";

    public IEnumerable<SpecError> Validate(JsonObject config, IReadOnlyList<JsonNode?> input)
    {
        var errors = new List<SpecError>();
        new ConfigReader(config, JobSpec.ConfigKey, errors).Integer(KKey, 10, min: 1, max: MaxK);
        return errors.Concat(NumericRows.Validate(config, input));
    }

    public ValueTask<JsonNode> MapAsync(JobShare share, JsonObject config, CancellationToken cancellationToken)
    {
        var field = NumericRows.Field(config);
        var ranked = share.Rows.Select((row, i) => new Ranked(share.Offset + i, NumericRows.Read(row, field, share.Offset + i), row));
        return ValueTask.FromResult<JsonNode>(ToJson(Top(ranked, K(config))));
    }

    public JsonNode Reduce(IReadOnlyList<JsonNode> partials, JsonObject config)
    {
        var k = K(config);
        var merged = Top(partials.SelectMany(p => p["TOP"]!.AsArray().Select(e => new Ranked(
            e!["INDEX"]!.GetValue<int>(), e["VALUE"]!.GetValue<decimal>(), e["ROW"]))), k);
        var result = ToJson(merged);
        result["K"] = k;
        return result;
    }

    private static int K(JsonObject config) => new ConfigReader(config).Integer(KKey, 10, min: 1, max: MaxK);

    private static List<Ranked> Top(IEnumerable<Ranked> rows, int k) =>
        [.. rows.OrderByDescending(r => r.Value).ThenBy(r => r.Index).Take(k)];

    private static JsonObject ToJson(IEnumerable<Ranked> top) => new()
    {
        ["TOP"] = new JsonArray([.. top.Select(r => (JsonNode)new JsonObject
        {
            ["INDEX"] = r.Index,
            ["VALUE"] = r.Value,
            ["ROW"] = r.Row?.DeepClone(),
        })]),
    };

    private sealed record Ranked(int Index, decimal Value, JsonNode? Row);
}
