using System.Collections.Immutable;
using System.Text.Json.Nodes;
using BenchmarkDotNet.Attributes;
using Naeural.Actors.Capture;
using Naeural.Actors.Plugins;
using Naeural.Actors.Plugins.CustomCode;

namespace Naeural.Benchmarks.Plugins;

/// <summary>
/// CUSTOM_EXEC's Process on N frames against the same logic compiled into an ordinary plugin class (the baseline), in the
/// same run: a 16-value moving average kept in a JSON state, a payload every 16th frame. The custom code pays for its sandbox:
/// the hand-off to its own thread per step, a budget tick per loop iteration and lambda call, and the checks after each
/// step. Once with all frames in one step (PROCESS_DELAY batching), once with one frame per step (PROCESS_DELAY 0, the
/// default). Read Op/s (frames per second) and Ratio.
/// </summary>
[Config(typeof(OperationsPerSecondConfig))]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 8)]
[MemoryDiagnoser]
public class CustomCodeProcess
{
    public const string MovingAverage = """
        var values = (state["values"] ??= new JsonArray()).AsArray();
        values.Add(input.Value);
        while (values.Count > 16)
        {
            values.RemoveAt(0);
        }

        return input.Index % 16 == 15 ? new JsonObject { ["MEAN"] = values.Sum(v => (double)v) / values.Count, ["INDEX"] = input.Index } : null;
        """;

    private const int Frames = 1_000;
    private readonly JsonObject _config = JsonNode.Parse(new JsonObject { ["CODE"] = MovingAverage, ["MAX_EXEC_MS"] = 5_000 }.ToJsonString())!.AsObject();
    private Frame[] _frames = [];
    private Frame[][] _single = [];
    private CustomExecPlugin _custom = null!;
    private CompiledMovingAverage _compiled = null!;

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(7);
        _frames = [.. Enumerable.Range(0, Frames).Select(i => new Frame(i, DateTimeOffset.UnixEpoch.AddMilliseconds(i * 20),
            ImmutableDictionary<string, double>.Empty.Add("value", 20 + random.NextDouble()), ImmutableDictionary<string, string>.Empty))];
        _single = [.. _frames.Select(f => new[] { f })];
        _custom = new CustomExecPlugin(new CustomCodeCompiler());
        _custom.Init(Context());
        _compiled = new CompiledMovingAverage();
    }

    [GlobalCleanup]
    public void Cleanup() => _custom.Close(Context());

    [Benchmark(Baseline = true, OperationsPerInvoke = Frames, Description = "compiled plugin class, 1000 frames/step")]
    public void Compiled() => _compiled.Process(_frames, Context());

    [Benchmark(OperationsPerInvoke = Frames, Description = "CUSTOM_EXEC, 1000 frames/step")]
    public void CustomBatched() => _custom.Process(_frames, Context());

    [Benchmark(OperationsPerInvoke = Frames, Description = "CUSTOM_EXEC, 1 frame/step")]
    public void CustomPerFrame()
    {
        var context = Context();
        foreach (var frame in _single)
        {
            _custom.Process(frame, context);
        }
    }

    private PluginContext Context() => new("bench", CustomExecPlugin.Signature, "main", _config, TimeProvider.System);

    /// <summary>What <see cref="MovingAverage"/> does, as an ordinary plugin with the same JSON state.</summary>
    private sealed class CompiledMovingAverage : IBusinessPlugin
    {
        private readonly JsonObject _state = [];

        public void Process(IReadOnlyList<Frame> frames, PluginContext context)
        {
            foreach (var frame in frames)
            {
                frame.TryGetValue(null, out var value);
                var values = (_state["values"] ??= new JsonArray()).AsArray();
                values.Add(value);
                while (values.Count > 16)
                {
                    values.RemoveAt(0);
                }

                if (frame.Index % 16 == 15)
                {
                    context.Emit(new JsonObject { ["MEAN"] = values.Sum(v => (double)v!) / values.Count, ["INDEX"] = frame.Index });
                }
            }
        }
    }
}

/// <summary>Compiling a typical snippet (parse, allow-list analysis, instrumentation, emit), with the cache missed each time.</summary>
[Config(typeof(OperationsPerSecondConfig))]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 8)]
public class CustomCodeCompile
{
    private readonly CustomCodeCompiler _compiler = new();
    private int _run;

    [Benchmark(Description = "compile the moving-average snippet (uncached)")]
    public bool Compile() => _compiler.Compile($"{CustomCodeProcess.MovingAverage}\n// {_run++}").IsValid;
}
