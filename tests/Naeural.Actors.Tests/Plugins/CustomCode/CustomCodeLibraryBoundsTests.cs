using System.Diagnostics;
using Naeural.Actors.Pipelines;
using Naeural.Actors.Plugins;
using Naeural.Actors.Plugins.CustomCode;
using Xunit;

namespace Naeural.Actors.Tests.Plugins.CustomCode;

/// <summary>
/// Library calls that would run far past their bound in one call, with nothing allocated and no tick of the code's own:
/// delegates the code passes as method groups, and collection walks whose elements each cost a long comparison.
/// Each test gets its own compiler, so a step left running by a failure doesn't count against the next test's node.
/// The time-bound cases measure wall-clock time, so the class runs alone in its assembly (no other test's garbage collections
/// or threads in the way); the slack still allows for a loaded machine: without the bounds these calls run for hours.
/// </summary>
[Collection(WallClockBound.Name)]
public sealed class CustomCodeLibraryBoundsTests
{
    private static readonly TimeSpan Slack = TimeSpan.FromMilliseconds(1500);

    /// <summary>1,000,000 references to two 4 M-character strings that differ only at their end: 40 MB, each comparison ~4 M steps.</summary>
    private const string LongStrings = """
        var s = "x";
        for (var i = 0; i < 22; i++) { s = s + s; }
        var t = s + "y";
        var u = s + "z";
        var items = new string[1_000_000];
        for (var i = 0; i < items.Length; i++) { items[i] = i % 2 == 0 ? t : u; }

        """;

    private const string Bounds = """{ "MAX_EXEC_MS": 1000, "MAX_ALLOC_MB": 128 }""";

    [Theory]
    [InlineData("var a = new List<int> { 0, 0 };\nvar n = a.Join(a, Math.Abs, Math.Abs, Math.Max).LongCount();", "2:19: a method group (Math.Abs) can't be passed as a delegate in custom code")]
    [InlineData("int Transform(int x) => x;\nvar b = new List<int> { 1 }.Select(Transform).ToList();", "2:36: a method group (Transform) can't be passed as a delegate in custom code")]
    [InlineData("var l = new List<int>();\nnew List<int> { 1 }.ForEach(l.Add);", "2:29: a method group (l.Add) can't be passed as a delegate in custom code")]
    [InlineData("Func<double, double> f = Math.Sqrt;", "1:26: a method group (Math.Sqrt) can't be passed as a delegate in custom code")]
    [InlineData("var f = Math.Sqrt;", "1:9: a method group (Math.Sqrt) can't be passed as a delegate in custom code")]
    public void A_method_group_is_refused_because_the_calls_made_through_it_would_never_tick(string code, string expected)
    {
        var compiled = new CustomCodeCompiler().Compile(code);

        Assert.False(compiled.IsValid, "a delegate made from a method group runs without a tick of the code's own");
        Assert.Contains(compiled.Errors, e => e.StartsWith(expected, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("var found = new List<string>(items).IndexOf(s + \"z\");", "7:13: System.Collections.Generic.List<T>.IndexOf on string elements is not allowed in custom code")]
    [InlineData("var found = new List<string>(items).Contains(s + \"z\");", "7:13: System.Collections.Generic.List<T>.Contains on string elements is not allowed in custom code")]
    [InlineData("var found = Array.IndexOf(items, s + \"z\");", "7:13: System.Array.IndexOf on string elements is not allowed in custom code")]
    [InlineData("var sorted = items.OrderBy(x => x, null).ToList();", "7:14: System.Linq.Enumerable.OrderBy with a comparer is not allowed in custom code")]
    public void A_linear_scan_comparing_long_elements_in_one_call_is_refused(string code, string expected)
    {
        var compiled = new CustomCodeCompiler().Compile(LongStrings + code);

        Assert.False(compiled.IsValid);
        Assert.Contains(compiled.Errors, e => e.StartsWith(expected, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("var most = items.Max();")]
    [InlineData("var sorted = items.OrderBy(x => x).ToList();")]
    [InlineData("var sorted = items.Order().ToList();")]
    [InlineData("var list = items.ToList();\nlist.Sort();")]
    [InlineData("Array.Sort(items);")]
    [InlineData("var found = items.Skip(0).Contains(s + \"w\");")]
    [InlineData("var t2 = s + \"y\";\nvar u2 = s + \"z\";\nvar copies = new string[items.Length];\nfor (var i = 0; i < copies.Length; i++) { copies[i] = i % 2 == 0 ? t2 : u2; }\nvar same = items.Skip(0).SequenceEqual(copies);")]
    [InlineData("var n = items.Join(items, x => x.Length, y => y.Length, (x, y) => x.Length).LongCount();")]
    public void A_library_call_over_long_elements_ends_at_the_time_bound_not_after_it(string code)
    {
        using var harness = new CustomCodeHarness(new CustomCodeCompiler(), LongStrings + code + "\nreturn new JsonObject { [\"DONE\"] = true };", Bounds);
        var clock = Stopwatch.StartNew();

        var outcome = Record.Exception(() => harness.Process(CustomCodeHarness.Frames(1)));

        var fault = Assert.IsType<PluginFaultException>(outcome);
        Assert.Equal(NotificationCodes.CustomCodeViolation, fault.Code);
        Assert.DoesNotContain("did not return", fault.Message);
        Assert.Contains("exceeded MAX_EXEC_MS 1000 ms", fault.Message);
        Assert.True(clock.Elapsed < TimeSpan.FromMilliseconds(1000) + Slack, $"noticed after {clock.ElapsedMilliseconds} ms");
    }

    [Fact]
    public void Linq_over_ordinary_collections_still_gives_the_same_answers()
    {
        const string code = """
            var values = new List<int> { 5, 3, 9, 1, 3 };
            var names = new[] { "b", "a", "c" };
            var keyed = values.Select((v, i) => (v, i)).ToDictionary(p => p.i, p => p.v);
            var result = new JsonObject
            {
                ["SORTED"] = values.Order().Aggregate("", (a, v) => a + v),
                ["BY"] = names.OrderByDescending(n => n).ThenBy(n => n.Length).Aggregate("", (a, n) => a + n),
                ["MAX"] = values.Max(),
                ["SUM"] = values.Where(v => v > 2).Sum(),
                ["PAIRS"] = values.Join(values, a => a, b => b, (a, b) => a).Count(),
                ["KEYED"] = keyed.Count,
                ["ANY"] = values.Contains(9),
            };
            var copy = new List<int>(values);
            copy.AddRange(values.Skip(1));
            copy.Sort();
            result["COPY"] = copy.Aggregate("", (a, c) => a + c);
            return result;
            """;
        using var harness = new CustomCodeHarness(new CustomCodeCompiler(), code);

        var payload = Assert.Single(harness.Process(CustomCodeHarness.Frames(1)));

        Assert.Equal("13359", payload["SORTED"]!.GetValue<string>());
        Assert.Equal("cba", payload["BY"]!.GetValue<string>());
        Assert.Equal(9, payload["MAX"]!.GetValue<int>());
        Assert.Equal(20, payload["SUM"]!.GetValue<int>());
        Assert.Equal(7, payload["PAIRS"]!.GetValue<int>());
        Assert.Equal(5, payload["KEYED"]!.GetValue<int>());
        Assert.True(payload["ANY"]!.GetValue<bool>());
        Assert.Equal("113333599", payload["COPY"]!.GetValue<string>());
    }
}

/// <summary>Tests that measure wall-clock bounds: run alone, not beside the assembly's other tests.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class WallClockBound
{
    public const string Name = "wall-clock bounds";
}
