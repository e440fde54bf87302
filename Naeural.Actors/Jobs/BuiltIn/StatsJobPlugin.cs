using System.Text.Json.Nodes;
using Naeural.Actors.Pipelines;

namespace Naeural.Actors.Jobs.BuiltIn;

/// <summary>
/// <c>STATS</c>: count, sum, min, max and mean of the input's numbers (or of each row's <c>CONFIG.FIELD</c>), exact: decimal
/// sums and a count, so any split gives the single-worker answer (as long as sums stay within decimal's 28-29 digits; beyond,
/// the job fails with an overflow rather than round). Ties in min/max keep the first row's value (1.0 vs 1.00).
/// </summary>
public sealed class StatsJobPlugin : IJobPlugin
{
    public string Name => "STATS";

    public string Description => "count, sum, min, max and mean of a numeric field (exact decimal arithmetic)";

    public IEnumerable<SpecError> Validate(JsonObject config, IReadOnlyList<JsonNode?> input) => NumericRows.Validate(config, input);

    public ValueTask<JsonNode> MapAsync(JobShare share, JsonObject config, CancellationToken cancellationToken)
    {
        var field = NumericRows.Field(config);
        var stats = Partial.Empty;
        for (var i = 0; i < share.Rows.Count; i++)
        {
            stats = stats.Add(NumericRows.Read(share.Rows[i], field, share.Offset + i));
        }

        return ValueTask.FromResult<JsonNode>(stats.ToJson());
    }

    public JsonNode Reduce(IReadOnlyList<JsonNode> partials, JsonObject config)
    {
        var total = partials.Select(Partial.FromJson).Aggregate(Partial.Empty, (a, b) => a.Merge(b));
        var result = total.ToJson();
        result["MEAN"] = total.Count == 0 ? null : JsonValue.Create(total.Sum / total.Count);
        return result;
    }

    private sealed record Partial(long Count, decimal Sum, decimal? Min, decimal? Max)
    {
        public static Partial Empty { get; } = new(0, 0m, null, null);

        public Partial Add(decimal value) => new(Count + 1, checked(Sum + value),
            Min is { } min && min <= value ? min : value,
            Max is { } max && max >= value ? max : value);

        /// <summary>Merges a later share: on equal values the earlier share's (first row's) representation stays.</summary>
        public Partial Merge(Partial later) => new(Count + later.Count, checked(Sum + later.Sum),
            later.Min is { } lmin && (Min is null || lmin < Min) ? lmin : Min,
            later.Max is { } lmax && (Max is null || lmax > Max) ? lmax : Max);

        public JsonObject ToJson() => new()
        {
            ["COUNT"] = Count,
            ["SUM"] = Sum,
            ["MIN"] = Min is { } min ? JsonValue.Create(min) : null,
            ["MAX"] = Max is { } max ? JsonValue.Create(max) : null,
        };

        public static Partial FromJson(JsonNode json) => new(
            json["COUNT"]!.GetValue<long>(),
            json["SUM"]!.GetValue<decimal>(),
            json["MIN"]?.GetValue<decimal>(),
            json["MAX"]?.GetValue<decimal>());
    }
}
