using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Naeural.Testing;

/// <summary>Listens to one meter's instruments (one node's, of several in the process) and keeps every measurement.</summary>
public sealed class MetricsRecorder : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentQueue<(string Instrument, double Value, IReadOnlyDictionary<string, object?> Tags)> _measurements = new();

    public MetricsRecorder(Meter meter)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (ReferenceEquals(instrument.Meter, meter))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((i, v, tags, _) => Add(i, v, tags));
        _listener.SetMeasurementEventCallback<int>((i, v, tags, _) => Add(i, v, tags));
        _listener.Start();
    }

    /// <summary>The sum of what <paramref name="instrument"/> recorded, over measurements whose tags match <paramref name="tag"/> (if given).</summary>
    public double Sum(string instrument, string? tag = null, object? value = null)
    {
        _listener.RecordObservableInstruments();
        return _measurements.Where(m => m.Instrument == instrument && (tag is null || Equals(m.Tags.GetValueOrDefault(tag), value)))
            .Sum(m => m.Value);
    }

    /// <summary>The last value <paramref name="instrument"/> recorded (an observable gauge is read now) with the tag, or null.</summary>
    public double? Last(string instrument, string tag, object? value)
    {
        _listener.RecordObservableInstruments();
        return _measurements.LastOrDefault(m => m.Instrument == instrument && Equals(m.Tags.GetValueOrDefault(tag), value)) is { Instrument: not null } last
            ? last.Value
            : null;
    }

    /// <summary>Every value <paramref name="instrument"/> recorded.</summary>
    public IReadOnlyList<double> Values(string instrument)
    {
        _listener.RecordObservableInstruments();
        return [.. _measurements.Where(m => m.Instrument == instrument).Select(m => m.Value)];
    }

    public void Dispose() => _listener.Dispose();

    private void Add(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var copy = new Dictionary<string, object?>();
        foreach (var (key, v) in tags)
        {
            copy[key] = v;
        }

        _measurements.Enqueue((instrument.Name, value, copy));
    }
}
