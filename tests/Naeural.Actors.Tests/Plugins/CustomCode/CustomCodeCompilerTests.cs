using System.Text.Json.Nodes;
using Naeural.Actors.Pipelines;
using Naeural.Actors.Plugins;
using Naeural.Actors.Plugins.BuiltIn;
using Naeural.Actors.Plugins.CustomCode;
using Xunit;

namespace Naeural.Actors.Tests.Plugins.CustomCode;

public sealed class CustomCodeCompilerTests(CompilerFixture fixture) : IClassFixture<CompilerFixture>
{
    private const string MovingAverage = """
        var window = (int)config.Number("WINDOW", 3);
        var values = (state["values"] ??= new JsonArray()).AsArray();
        values.Add(input.Value);
        while (values.Count > window)
        {
            values.RemoveAt(0);
        }

        return new JsonObject { ["MEAN"] = values.Sum(v => (double)v) / values.Count, ["INDEX"] = input.Index };
        """;

    /// <summary>THRESHOLD_ALERT's hysteresis, written as custom code.</summary>
    public const string ThresholdAlert = """
        var value = input.Value;
        var raise = config.Number("RAISE_THRESHOLD");
        var lower = config.Number("LOWER_THRESHOLD", raise);
        var raised = (bool?)state["raised"] ?? false;
        var changed = false;
        if (!raised && value >= raise)
        {
            raised = changed = true;
        }
        else if (raised && value <= lower)
        {
            raised = false;
            changed = true;
        }

        state["raised"] = raised;
        if (!changed)
        {
            return null;
        }

        return new JsonObject
        {
            ["IS_ALERT"] = raised,
            ["ALERT_STATE"] = raised ? "RAISED" : "LOWERED",
            ["VALUE"] = value,
            ["FRAME_INDEX"] = input.Index,
        };
        """;

    private CustomCodeCompiler Compiler => fixture.Compiler;

    [Fact]
    public void A_moving_average_over_state_is_computed_across_calls()
    {
        using var harness = new CustomCodeHarness(Compiler, MovingAverage);

        var means = harness.Process(CustomCodeHarness.Frames(1, 2, 3)).Concat(harness.Process(CustomCodeHarness.Frames(4, 5)))
            .Select(p => p["MEAN"]!.GetValue<double>());

        Assert.Equal([1, 1.5, 2, 3, 4], means);
    }

    [Fact]
    public void A_threshold_alert_in_custom_code_raises_and_lowers_where_the_built_in_does()
    {
        const string config = """{ "RAISE_THRESHOLD": 10, "LOWER_THRESHOLD": 5 }""";
        var frames = CustomCodeHarness.Frames(1, 9, 10, 12, 9, 6, 5, 11, 4, 10, 3);
        using var harness = new CustomCodeHarness(Compiler, ThresholdAlert, config);
        var builtInContext = new PluginContext("pipeline", "THRESHOLD_ALERT", "instance", JsonNode.Parse(config)!.AsObject(), TimeProvider.System);
        new ThresholdAlertPlugin().Process(frames, builtInContext);

        var custom = harness.Process(frames).Select(p => (p["ALERT_STATE"]!.GetValue<string>(), p["FRAME_INDEX"]!.GetValue<long>()));
        var builtIn = builtInContext.TakeOutputs().Payloads.Select(p => (p["ALERT_STATE"]!.GetValue<string>(), p["FRAME_INDEX"]!.GetValue<long>()));

        Assert.Equal([("RAISED", 2L), ("LOWERED", 6), ("RAISED", 7), ("LOWERED", 8), ("RAISED", 9), ("LOWERED", 10)], custom);
        Assert.Equal(builtIn, custom);
    }

    [Fact]
    public void Linq_over_a_list_tuples_and_local_functions_work()
    {
        const string code = """
            var readings = new List<double> { 5, 1, 4, 2, 3, input.Value };
            var top = readings.Where(x => x > 1).OrderByDescending(x => x).Take(2).ToList();
            var odd = readings.GroupBy(x => (int)x % 2).Select(g => (g.Key, Count: g.Count())).ToDictionary(t => t.Key, t => t.Count);
            double Square(double x) => x * x;
            var top2 = new JsonArray();
            foreach (var t in top)
            {
                top2.Add(t);
            }

            return new JsonObject
            {
                ["TOP"] = top2,
                ["ODD"] = odd[1],
                ["SQUARES"] = readings.Sum(x => Square(x)),
                ["TEXT"] = $"{readings.Count} readings, max {readings.Max():F1}",
            };
            """;
        using var harness = new CustomCodeHarness(Compiler, code);

        var payload = Assert.Single(harness.Process(CustomCodeHarness.Frames(9)));

        Assert.Equal([9.0, 5.0], payload["TOP"]!.AsArray().Select(v => v!.GetValue<double>()));
        Assert.Equal(4, payload["ODD"]!.GetValue<int>()); // 5, 1, 3, 9
        Assert.Equal(25 + 1 + 16 + 4 + 9 + 81, payload["SQUARES"]!.GetValue<double>());
        Assert.Equal("6 readings, max 9.0", payload["TEXT"]!.GetValue<string>());
    }

    [Fact]
    public void Emit_notify_config_and_a_scheduled_call_without_input_reach_the_owner()
    {
        const string code = """
            if (input == null)
            {
                plugin.Notify("IDLE", $"no data at call {plugin.Calls}");
                return null;
            }

            plugin.Emit(new JsonObject { ["LABEL"] = config.String("LABEL"), ["FIRST"] = true });
            return input.ToJson();
            """;
        using var harness = new CustomCodeHarness(Compiler, code, """{ "LABEL": "kitchen" }""");

        var payloads = harness.Process(CustomCodeHarness.Frames(7));
        harness.Plugin.Process([], harness.Context);
        var notification = Assert.Single(harness.Context.TakeOutputs().Notifications);

        Assert.Equal(["kitchen", null], payloads.Select(p => p["LABEL"]?.GetValue<string>()));
        Assert.Equal(7, payloads[1]["VALUES"]!["value"]!.GetValue<double>());
        Assert.Equal(("IDLE", "no data at call 1"), notification);
    }

    [Fact]
    public void B64CODE_carries_the_same_code_and_its_errors_name_that_key()
    {
        var good = Validate(new JsonObject { ["B64CODE"] = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(MovingAverage)) });
        var bad = Validate(new JsonObject { ["B64CODE"] = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes("GC.Collect();")) });
        var garbled = Validate(new JsonObject { ["B64CODE"] = "not base64!" });

        Assert.Empty(good);
        Assert.Equal(["B64CODE: 1:1: System.GC is not allowed in custom code (garbage collector)"], bad.Select(e => e.ToString()));
        Assert.Equal(["B64CODE: is not valid base64"], garbled.Select(e => e.ToString()));
    }

    [Fact]
    public void A_thrown_exception_is_a_plugin_error_naming_the_line()
    {
        using var harness = new CustomCodeHarness(Compiler, "var ok = 1;\nvar missing = input[\"pressure\"];\nreturn null;");

        var fault = harness.Fault(CustomCodeHarness.Frames(1));

        Assert.Equal(NotificationCodes.PluginError, fault.Code);
        Assert.Equal("CODE 2:1: KeyNotFoundException: frame 0 has no value 'pressure'", fault.Message); // the statement's line:column
    }

    [Fact]
    public void The_same_code_compiles_once_and_is_loaded_once_for_all_its_instances()
    {
        var compiler = new CustomCodeCompiler();
        var first = compiler.Compile(MovingAverage);

        Assert.Same(first, compiler.Compile(MovingAverage));
        using (var a = new CustomCodeHarness(compiler, MovingAverage))
        using (var b = new CustomCodeHarness(compiler, MovingAverage))
        {
            Assert.Equal(1, compiler.Loader.LoadedCount);
        }

        Assert.Equal(0, compiler.Loader.LoadedCount);
    }

    [Fact]
    public void Code_of_a_removed_instance_is_unloaded()
    {
        var compiler = new CustomCodeCompiler();
        var context = Run(compiler);

        for (var i = 0; i < 20 && context.IsAlive; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }

        Assert.False(context.IsAlive, "the collectible load context is collected once its last instance closed");
    }

    [Theory]
    [InlineData("var s = System.IO.File.ReadAllText(\"/etc/passwd\");", "1:9: System.IO.File is not allowed in custom code (file system)")]
    [InlineData("var c = new System.Net.Sockets.TcpClient(\"127.0.0.1\", 80);", "1:13: System.Net.Sockets.TcpClient is not allowed in custom code (network)")]
    [InlineData("var h = new System.Net.Http.HttpClient();", "1:13: System.Net.Http.HttpClient is not allowed in custom code (network)")]
    [InlineData("var a = typeof(string).Assembly;", "1:9: typeof is not allowed in custom code (reflection)")]
    [InlineData("var m = \"\".GetType().GetMethods();", "1:9: object.GetType is not allowed in custom code (reflection)")]
    [InlineData("var t = Type.GetType(\"System.IO.File\");", "1:9: System.Type is not allowed in custom code (reflection)")]
    [InlineData("var o = Activator.CreateInstance(null);", "1:9: System.Activator is not allowed in custom code (reflection)")]
    [InlineData("System.Diagnostics.Process.Start(\"sh\");", "1:1: System.Diagnostics.Process.Start is not allowed in custom code (processes)")]
    [InlineData("Environment.Exit(1);", "1:1: System.Environment is not allowed in custom code (process environment)")]
    [InlineData("var home = Environment.GetEnvironmentVariable(\"HOME\");", "1:12: System.Environment is not allowed in custom code (process environment)")]
    [InlineData("new System.Threading.Thread(() => { }).Start();", "1:1: System.Threading.Thread is not allowed in custom code (threads and tasks)")]
    [InlineData("var t = new Thread(() => { });", "1:13: Thread is not allowed in custom code (threads and tasks)")]
    [InlineData("Task.Run(() => 1);", "1:1: Task.Run is not allowed in custom code (threads and tasks)")]
    [InlineData("System.Threading.Tasks.Task.Run(() => 1);", "1:1: System.Threading.Tasks.Task is not allowed in custom code (threads and tasks)")]
    [InlineData("System.Threading.ThreadPool.QueueUserWorkItem(_ => { });", "1:1: System.Threading.ThreadPool is not allowed in custom code (threads and tasks)")]
    [InlineData("var x = 1;\nunsafe { int* p = &x; }", "2:1: unsafe code is not allowed in custom code")]
    [InlineData("var x = 1;\n  GC.Collect();", "2:3: System.GC is not allowed in custom code (garbage collector)")]
    [InlineData("var p = System.Runtime.InteropServices.Marshal.AllocHGlobal(1024);", "1:9: System.Runtime.InteropServices.Marshal is not allowed in custom code (native interop)")]
    [InlineData("[System.Runtime.InteropServices.DllImport(\"libc\")] extern int getpid();", "1:1: attributes are not allowed in custom code")]
    [InlineData("int getpid() => 0; extern int kill(int pid, int sig);", "1:20: extern is not allowed in custom code (native interop)")]
    [InlineData("return null; } public static void Evil() { System.IO.File.Delete(\"/x\");", "1:14: '}' closes the code's method body early")]
    [InlineData("} static void X() {", "1:1: '}' closes the code's method body early")]
    [InlineData("__budget.Tick(0, 0);", "1:1: '__budget': names starting with __ are reserved")]
    [InlineData("var b = new Naeural.Actors.Plugins.CustomCode.CustomCodeBudget();", "1:9: Naeural.Actors.Plugins.CustomCode.CustomCodeBudget is not allowed in custom code (node internals)")]
    [InlineData("dynamic d = state;\nd.Explode();", "1:9: dynamic is not allowed in custom code")]
    [InlineData("var s = \"x\".PadLeft(int.MaxValue);", "1:9: string.PadLeft is not allowed in custom code (allocates in proportion to an argument)")]
    [InlineData("var s = new string('x', int.MaxValue);", "1:9: string.ctor (char, count) is not allowed in custom code (allocates in proportion to an argument)")]
    [InlineData("var l = new List<int>(int.MaxValue);", "1:9: System.Collections.Generic.List<T>.ctor with a capacity is not allowed in custom code")]
    [InlineData("var r = Enumerable.Range(0, int.MaxValue).ToList();", "1:9: System.Linq.Enumerable.Range is not allowed in custom code (allocates in proportion to an argument)")]
    [InlineData("var r = Enumerable.Repeat(1, int.MaxValue).ToList();", "1:9: System.Linq.Enumerable.Repeat is not allowed in custom code")]
    [InlineData("var a = new int[4];\nArray.Resize(ref a, int.MaxValue);", "2:1: System.Array.Resize is not allowed in custom code")]
    [InlineData("IEnumerable<int> e = new List<int>();\nfor (var i = 0; i < 100000; i++) e = e.Select(x => x);", "1:18: System.Collections.Generic.IEnumerable<int> is not allowed as a variable")]
    [InlineData("object o = state;", "1:8: object is not allowed as a variable or element type")]
    [InlineData("var r = new System.Text.RegularExpressions.Regex(\"(a+)+$\");", "1:13: System.Text.RegularExpressions.Regex is not allowed in custom code (regular expressions")]
    [InlineData("lock (state) { }", "1:1: lock is not allowed in custom code")]
    [InlineData("goto end;\nend: return null;", "1:1: goto is not allowed in custom code")]
    [InlineData("var f = async () => 1;", "1:9: async is not allowed in custom code")]
    [InlineData("state = new JsonObject();", "1:1: 'state' can't be reassigned")]
    [InlineData("var s = state.ToJsonString();", "1:9: System.Text.Json.Nodes.JsonNode.ToJsonString is not allowed in custom code (walks or serializes a whole JSON tree")]
    [InlineData("var s = \"\" + state;", "1:14: adding System.Text.Json.Nodes.JsonObject to text is not allowed")]
    [InlineData("var c = state.DeepClone();", "1:9: System.Text.Json.Nodes.JsonNode.DeepClone is not allowed")]
    [InlineData("var q = from x in new List<int>() select x;", "1:9: query expressions are not allowed in custom code")]
    [InlineData("var set = new HashSet<long>(new List<long>());", "1:11: System.Collections.Generic.HashSet<T>.ctor from a collection is not allowed in custom code (hashes a whole collection")]
    [InlineData("var d = new List<long>().Distinct().ToList();", "1:9: System.Linq.Enumerable.Distinct is not allowed in custom code (hashes a whole collection")]
    [InlineData("var s = 1.5.ToString(\"F999999999\");", "1:9: double.ToString ('F999999999') is not allowed in custom code (precision or width of at most 2 digits)")]
    [InlineData("var s = $\"{1,1000000000}\";", "1:11: an alignment of 1000000000 is not allowed in custom code")]
    [InlineData("var a = new JsonArray();\na.Add(new List<byte[]>());", "2:1: System.Text.Json.Nodes.JsonArray.Add <System.Collections.Generic.List<byte[]>> is not allowed in custom code")]
    [InlineData("var s = \"ab\";\nvar i = s.IndexOf(s);", "2:9: string.IndexOf with a non-constant string to search for is not allowed")]
    [InlineData("var e = new Exception(\"a\", new Exception(\"b\"));", "1:9: System.Exception.ctor with these arguments is not allowed in custom code")]
    [InlineData("var now = DateTime.Now;", "1:11: System.DateTime.Now is not allowed in custom code (use plugin.Now, the node's clock)")]
    [InlineData("var f = (Func<int>)(() => 1);\nvar m = f.Method;", "2:9: System.Delegate.Method is not allowed in custom code")]
    [InlineData("#pragma warning disable\nreturn null;", "1:1: preprocessor directives are not allowed in custom code")]
    [InlineData("try { } finally { }", "1:9: finally is not allowed in custom code")]
    [InlineData("using var e = new List<int>().GetEnumerator();", "1:1: using is not allowed in custom code")]
    [InlineData("var f = static (int x) => x;", "1:9: static lambdas and local functions are not supported in custom code")]
    [InlineData("var s = \"  x  \".Trim(new[] { ' ', 'x' });", "1:9: string.Trim with a set of chars is not allowed in custom code")]
    [InlineData("var i = \"abc\".IndexOfAny(new[] { 'b' });", "1:9: string.IndexOfAny with a set of chars is not allowed in custom code")]
    [InlineData("var n = JsonNode.Parse(\"[1]\");", "1:9: System.Text.Json.Nodes.JsonNode.Parse is not allowed in custom code (a parsed value keeps its whole document alive")]
    [InlineData("Func<int, Func<int, Func<int, Func<int, Func<int, int>>>>> f = a => b => c => d => e => a;", "1:84: lambdas and local functions nest more than 4 deep")]
    public void Hostile_code_is_refused_with_a_reason_naming_its_line_and_column(string code, string expected)
    {
        var errors = Compiler.Compile(code).Errors;

        Assert.False(errors.IsEmpty, $"refused: {code}");
        Assert.Contains(errors, e => e.StartsWith(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void An_expression_too_long_to_walk_safely_is_refused_before_compilation_instead_of_overflowing_a_stack()
    {
        var code = "var x = 1; x = " + string.Join("+", Enumerable.Repeat("x", 15_000)) + ";"; // within MaxCodeLength
        var clock = System.Diagnostics.Stopwatch.StartNew();

        var errors = Compiler.Compile(code).Errors;

        Assert.Contains(errors, e => e.Contains("nests more than 200 levels deep", StringComparison.Ordinal));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed}");
    }

    [Fact]
    public void The_readmes_example_runs_as_documented()
    {
        var readme = File.ReadAllText(Naeural.Testing.RepositoryRoot.File("README.md"));
        var start = readme.IndexOf("{ \"SIGNATURE\": \"CUSTOM_EXEC\"", StringComparison.Ordinal);
        var plugin = JsonNode.Parse(readme[start..readme.IndexOf("\n```", start, StringComparison.Ordinal)])!;
        var instance = plugin["INSTANCES"]![0]!.AsObject();
        var config = new JsonObject { ["WINDOW"] = 2, ["MAX_EXEC_MS"] = 2000 };
        using var harness = new CustomCodeHarness(Compiler, instance["CODE"]!.GetValue<string>(), config.ToJsonString());

        var means = harness.Process(CustomCodeHarness.Frames(1, 3, 5)).Select(p => p["MEAN"]!.GetValue<double>());

        Assert.Equal(8, instance["WINDOW"]!.GetValue<int>());
        Assert.Equal([1, 2, 4], means);
    }

    [Fact]
    public void Everyday_code_is_accepted()
    {
        const string code = """
            var totals = new Dictionary<string, double>();
            foreach (var key in input.Keys)
            {
                if (input.TryGet(key, out var v) && !double.IsNaN(v))
                {
                    totals[key] = totals.TryGetValue(key, out var t) ? t + v : v;
                }
            }

            foreach (var (name, node) in state)
            {
                totals[name] = totals.GetValueOrDefault(name) + (node?.GetValue<double>() ?? 0);
            }

            var history = state["history"] as JsonArray ?? new JsonArray();
            var recent = history.Select(h => (double)h).TakeLast(10).ToArray();
            Array.Sort(recent);
            var median = recent.Length == 0 ? 0 : recent[recent.Length / 2];
            var (min, max) = recent.Length == 0 ? (0.0, 0.0) : (recent.Min(), recent.Max());
            var label = input.Meta("anomaly") ?? "none";
            var parts = label.Split(',');
            var upper = parts[0].Trim().ToUpperInvariant();
            var when = DateTimeOffset.FromUnixTimeMilliseconds(input.Time);
            var flags = new HashSet<string> { "A", "B" };
            var queue = new Queue<double>(recent);
            while (queue.Count > 3) queue.Dequeue();
            var rounded = Math.Round(Math.Sqrt(Math.Abs(median)), 3);
            var kind = rounded switch { > 10 => "big", > 1 => "medium", _ => "small" };
            if (totals.Count == 0) throw new InvalidOperationException($"no values at {input.Index}");
            try { var n = int.Parse(config.String("N", "3")); } catch (FormatException) { }
            return new JsonObject
            {
                ["MEDIAN"] = median, ["RANGE"] = max - min, ["LABEL"] = upper, ["KIND"] = kind,
                ["WHEN"] = when.ToString("yyyy-MM-dd HH:mm:ss"), ["FLAG"] = flags.Contains("A"),
                ["SUMMARY"] = $"{totals.Count} values, median {median:F2}, {min}..{max}", ["QUEUE"] = queue.Count,
                ["NOW"] = plugin.Now, ["KEYS"] = string.Concat(input.Keys.Length.ToString(), " keys"),
            };
            """;

        var errors = Compiler.Compile(code).Errors;
        Assert.True(errors.IsEmpty, string.Join(" | ", errors));
    }

    [Fact]
    public void Plain_compiler_errors_are_reported_with_the_codes_own_positions()
    {
        var errors = Compiler.Compile("var x = 1;\nint y = \"text\";").Errors;

        Assert.Equal("2:9: Cannot implicitly convert type 'string' to 'int' (CS0029)", string.Join(" | ", errors));
    }

    private List<SpecError> Validate(JsonObject config)
    {
        var reader = new ConfigReader(config);
        CustomExecPlugin.Descriptor(Compiler).Validate(reader);
        return [.. reader.Errors];
    }

    private static WeakReference Run(CustomCodeCompiler compiler)
    {
        using var harness = new CustomCodeHarness(compiler, MovingAverage);
        harness.Process(CustomCodeHarness.Frames(1, 2));
        return harness.Plugin.LoadContext!;
    }
}
