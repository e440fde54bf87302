using System.Text.Json.Nodes;
using Naeural.Actors.Jobs;
using Naeural.Actors.Pipelines;
using Xunit;

namespace Naeural.Fast.Tests.Jobs;

/// <summary>Job plugins and specs, pure: any split of the input reduces to the single-share answer; bad specs name their field.</summary>
public sealed class JobPluginTests
{
    public static TheoryData<string, string> Plugins => new()
    {
        { "STATS", """{ "FIELD": "t" }""" },
        { "STATS", "{}" },
        { "TOP_K", """{ "FIELD": "t", "K": 7 }""" },
        { "TOP_K", """{ "K": 1 }""" },
    };

    [Theory]
    [MemberData(nameof(Plugins))]
    public async Task Any_split_of_the_input_reduces_to_the_single_share_answer(string pluginName, string configJson)
    {
        var plugin = JobCatalogue.BuiltIn.Find(pluginName)!;
        var config = JsonNode.Parse(configJson)!.AsObject();
        var field = config["FIELD"]?.GetValue<string>();
        for (var seed = 0; seed < 200; seed++)
        {
            var random = new Random(seed);
            var rows = Rows(random, random.Next(1, 120), field);
            Assert.Empty(plugin.Validate(config, rows));
            var single = await RunAsync(plugin, config, [new JobShare(0, 0, rows)]);

            var cuts = Enumerable.Range(0, random.Next(0, Math.Min(9, rows.Count))).Select(_ => random.Next(0, rows.Count + 1))
                .Append(0).Append(rows.Count).Distinct().Order().ToList();
            var shares = cuts.Zip(cuts.Skip(1), (from, to) => (from, to))
                .Select((c, i) => new JobShare(i, c.from, rows.Skip(c.from).Take(c.to - c.from).ToList()))
                .ToList();
            var split = await RunAsync(plugin, config, shares);

            Assert.True(single == split, $"seed {seed}, {shares.Count} shares:\n{single}\n{split}");
        }
    }

    [Fact]
    public async Task Stats_are_exact_decimal_count_sum_min_max_and_mean()
    {
        var rows = new List<JsonNode?> { JsonValue.Create(0.1m), JsonValue.Create(0.2m), JsonValue.Create(-3m), JsonValue.Create(0.30m) };
        var result = JsonNode.Parse(await RunAsync(new Naeural.Actors.Jobs.BuiltIn.StatsJobPlugin(), [],
            [new JobShare(0, 0, rows[..2]), new JobShare(1, 2, rows[2..])]))!;

        Assert.Equal(4, result["COUNT"]!.GetValue<long>());
        Assert.Equal(-2.40m, result["SUM"]!.GetValue<decimal>());
        Assert.Equal((-3m, 0.30m), (result["MIN"]!.GetValue<decimal>(), result["MAX"]!.GetValue<decimal>()));
        Assert.Equal(-0.6m, result["MEAN"]!.GetValue<decimal>());
    }

    [Fact]
    public async Task Top_k_ranks_by_value_then_input_order()
    {
        var rows = new List<JsonNode?> { JsonValue.Create(5), JsonValue.Create(9), JsonValue.Create(5), JsonValue.Create(1), JsonValue.Create(9) };
        var result = JsonNode.Parse(await RunAsync(new Naeural.Actors.Jobs.BuiltIn.TopKJobPlugin(), JsonNode.Parse("""{ "K": 3 }""")!.AsObject(),
            [new JobShare(0, 0, rows[..3]), new JobShare(1, 3, rows[3..])]))!;

        Assert.Equal([1, 4, 0], result["TOP"]!.AsArray().Select(e => e!["INDEX"]!.GetValue<int>()));
    }

    [Theory]
    [InlineData("""{ "WORKERS": 2, "PLUGIN": "STATS", "INPUT": [1, 2] }""", "NAME: is required")]
    [InlineData("""{ "NAME": "j", "WORKERS": 0, "PLUGIN": "STATS", "INPUT": [1, 2] }""", "WORKERS: ")]
    [InlineData("""{ "NAME": "j", "WORKERS": 3, "PLUGIN": "STATS", "INPUT": [1, 2] }""", "WORKERS: 3 is more than the 2 row(s) of INPUT")]
    [InlineData("""{ "NAME": "j", "PLUGIN": "STATS" }""", "INPUT: is required")]
    [InlineData("""{ "NAME": "j", "PLUGIN": "STATS", "CONFIG": 3, "INPUT": [1] }""", "CONFIG: must be an object")]
    [InlineData("""{ "NAME": "j", "PLUGIN": "STATS", "CONFIG": { "FIELD": "t" }, "INPUT": [{ "t": 1 }, { "t": "x" }] }""", "INPUT[1].t: must be a number")]
    [InlineData("""{ "NAME": "j", "PLUGIN": "STATS", "INPUT": [1, 1e300] }""", "INPUT[1]: must be a number")]
    [InlineData("""{ "NAME": "j", "PLUGIN": "TOP_K", "CONFIG": { "K": 0 }, "INPUT": [1] }""", "CONFIG.K: ")]
    [InlineData("""{ "NAME": "j", "PLUGIN": "MEDIAN", "INPUT": [1] }""", "PLUGIN: unknown job plugin 'MEDIAN'; known: STATS, TOP_K")]
    public void Bad_specs_name_the_field(string json, string expected)
    {
        var result = JobSpecResult.Parse(json, JobCatalogue.BuiltIn, new PipelineSettings());

        Assert.Null(result.Spec);
        Assert.Contains(expected, result.ErrorText);
        Assert.Equal(expected.StartsWith("PLUGIN", StringComparison.Ordinal), result.IsUnknownPlugin);
    }

    [Fact]
    public void Input_is_split_into_contiguous_shares_that_differ_by_at_most_one_row()
    {
        var shares = JobSpec.Shares(new JsonArray([.. Enumerable.Range(0, 10).Select(i => (JsonNode)i)]), 3);

        Assert.Equal([(0, 3), (3, 3), (6, 4)], shares.Select(s => (s.Offset, s.Rows.Count)));
        Assert.Equal(Enumerable.Range(0, 10), shares.SelectMany(s => s.Rows).Select(r => r!.GetValue<int>()));
    }

    private static async Task<string> RunAsync(IJobPlugin plugin, JsonObject config, IReadOnlyList<JobShare> shares)
    {
        var partials = new List<JsonNode>();
        foreach (var share in shares)
        {
            // Through JSON text, as partials travel between nodes.
            partials.Add(JsonNode.Parse((await plugin.MapAsync(share, config, CancellationToken.None)).ToJsonString())!);
        }

        return plugin.Reduce(partials, config).ToJsonString();
    }

    /// <summary>Equal values written differently, at the extremes too: which one a split keeps must not depend on the split.</summary>
    private static readonly decimal[] Ties = [5.0m, 5.00m, -1000.0m, -1000.00m, 1000m, 1000.000m];

    /// <summary>Decimals of varied scale and sign, with repeats (ties), as numbers or as objects' <paramref name="field"/>.</summary>
    private static List<JsonNode?> Rows(Random random, int count, string? field) =>
        [.. Enumerable.Range(0, count).Select(i =>
        {
            var value = random.Next(4) == 0 ? Ties[random.Next(Ties.Length)] : Math.Round((decimal)(random.NextDouble() * 2000 - 1000), random.Next(0, 4));
            JsonNode number = JsonValue.Create(value);
            return (JsonNode?)(field is null ? JsonNode.Parse(number.ToJsonString()) : JsonNode.Parse(new JsonObject { [field] = number, ["id"] = i }.ToJsonString()));
        })];
}
