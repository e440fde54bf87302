using System.Text.Json.Nodes;
using Naeural.Actors.Capture;

namespace Naeural.Actors.Plugins.CustomCode;

/// <summary>
/// The frame custom code is running on, read-only: <c>input</c> in the code. Null only on a scheduled call without data
/// (<c>ALLOW_EMPTY_INPUTS</c>).
/// </summary>
public sealed class CustomCodeFrame
{
    private readonly Frame _frame;

    internal CustomCodeFrame(Frame frame) => _frame = frame;

    /// <summary>The frame's number in its stream.</summary>
    public long Index => _frame.Index;

    /// <summary>When it was captured, in Unix milliseconds.</summary>
    public long Time => _frame.At.ToUnixTimeMilliseconds();

    /// <summary>The frame's first value (by name, ordinal), as the built-in plugins read it without <c>VALUE</c>; NaN if it has none.</summary>
    public double Value => _frame.TryGetValue(null, out var value) ? value : double.NaN;

    /// <summary>The value named <paramref name="key"/>; throws <see cref="KeyNotFoundException"/> naming it when the frame lacks it.</summary>
    public double this[string key] => _frame.Values.TryGetValue(key, out var value)
        ? value
        : throw new KeyNotFoundException($"frame {_frame.Index} has no value '{key}'");

    /// <summary>Whether the frame has a value named <paramref name="key"/>.</summary>
    public bool Has(string key) => _frame.Values.ContainsKey(key);

    /// <summary>The value named <paramref name="key"/>, if the frame has it.</summary>
    public bool TryGet(string key, out double value) => _frame.Values.TryGetValue(key, out value);

    /// <summary>The frame's value names, sorted (a new array each call).</summary>
    public string[] Keys => [.. _frame.Values.Keys.Order(StringComparer.Ordinal)];

    /// <summary>Text metadata (e.g. the synthetic sensor's <c>anomaly</c> label), or null.</summary>
    public string? Meta(string key) => _frame.Meta.GetValueOrDefault(key);

    /// <summary>A new JSON copy of the frame: <c>INDEX</c>, <c>TIME</c>, <c>VALUES</c> and <c>META</c> (what PASS_THROUGH emits).</summary>
    public JsonObject ToJson() => _frame.ToJson();
}
