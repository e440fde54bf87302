using System.Collections.Immutable;
using System.Text.Json.Nodes;
using Naeural.Actors.Capture;
using Naeural.Actors.Plugins;
using Naeural.Actors.Plugins.CustomCode;

namespace Naeural.Actors.Tests.Plugins.CustomCode;

/// <summary>One compiler (and its cache) for the tests of a class.</summary>
public sealed class CompilerFixture
{
    public CustomCodeCompiler Compiler { get; } = new();
}

/// <summary>A CUSTOM_EXEC plugin driven directly, as its instance would drive it.</summary>
internal sealed class CustomCodeHarness : IDisposable
{
    /// <summary>Benign code gets a generous time bound: a first call includes JIT compilation, and CI machines are shared.</summary>
    public const string Generous = """{ "MAX_EXEC_MS": 2000 }""";

    public CustomCodeHarness(CustomCodeCompiler compiler, string code, string extraConfig = Generous, string? owner = null)
    {
        var config = JsonNode.Parse(extraConfig)!.AsObject();
        config["CODE"] = code;
        Context = new PluginContext("pipeline", CustomExecPlugin.Signature, "instance", config, TimeProvider.System) { Owner = owner ?? $"0xowner-{Guid.NewGuid():N}" }; // an owner of its own unless given: one test's overrun is not another's
        Plugin = new CustomExecPlugin(compiler);
        Plugin.Init(Context);
    }

    public PluginContext Context { get; }

    public CustomExecPlugin Plugin { get; }

    public static Frame[] Frames(params double[] values) => values
        .Select((v, i) => new Frame(i, DateTimeOffset.UnixEpoch.AddSeconds(i), ImmutableDictionary<string, double>.Empty.Add("value", v), ImmutableDictionary<string, string>.Empty))
        .ToArray();

    public List<JsonObject> Process(params Frame[] frames)
    {
        Plugin.Process(frames, Context);
        return [.. Context.TakeOutputs().Payloads];
    }

    public PluginFaultException Fault(params Frame[] frames) => Xunit.Assert.Throws<PluginFaultException>(() => Plugin.Process(frames, Context));

    public void Dispose() => Plugin.Close(Context);
}
