using System.Collections.Immutable;
using Akka.Actor;
using Naeural.Actors.Pipelines;

namespace Naeural.Actors.Capture;

/// <summary>
/// <c>SyntheticSensor</c>: a seeded, reproducible sensor stream. Each of <c>SENSORS</c> channels reads
/// <c>MEAN</c> + a slow daily-like wave + Gaussian noise of <c>STD</c>; with probability <c>ANOMALY_PROBABILITY</c> per frame an
/// anomaly starts: <c>ANOMALY_LENGTH</c> frames shifted by <c>ANOMALY_MAGNITUDE</c> standard deviations. Each frame carries
/// its ground truth in <c>Meta["anomaly"]</c> ("1"/"0"), so detectors can be scored. <c>CAP_RESOLUTION</c> is frames per
/// second (0: as fast as the pipeline's credit allows); <c>MAX_FRAMES</c> ends the stream (0: endless).
/// </summary>
public sealed class SyntheticSensorCapture : PullCaptureActor
{
    private readonly SyntheticSignal _signal;
    private readonly long _maxFrames;
    private long _produced;

    public SyntheticSensorCapture(JsonConfig config, IActorRef pipeline)
        : base(config, pipeline, defaultFramesPerSecond: 10)
    {
        _signal = SyntheticSignal.FromConfig(Config);
        _maxFrames = (long)Config.Number("MAX_FRAMES", 0);
    }

    public static void Validate(ConfigReader config)
    {
        config.Number(CapResolutionKey, 10, min: 0, max: 1_000_000);
        config.Number("MAX_FRAMES", 0, min: 0, max: long.MaxValue);
        ReadPolicy(config, ReconnectPolicy.Yes);
        SyntheticSignal.FromConfig(config);
    }

    public static Props Props(JsonConfig config, IActorRef pipeline) =>
        Akka.Actor.Props.Create(() => new SyntheticSensorCapture(config, pipeline));

    /// <summary><c>{"INJECT_ANOMALY": true}</c> starts an anomaly on the next frame (for demos and drills).</summary>
    protected override void OnCommand(string commandJson)
    {
        if (System.Text.Json.Nodes.JsonNode.Parse(commandJson) is System.Text.Json.Nodes.JsonObject command
            && new ConfigReader(command).Boolean("INJECT_ANOMALY", false))
        {
            _signal.InjectAnomaly();
            return;
        }

        base.OnCommand(commandJson);
    }

    protected override void OpenSource()
    {
    }

    protected override void CloseSource()
    {
    }

    protected override (IReadOnlyList<(ImmutableDictionary<string, double> Values, ImmutableDictionary<string, string> Meta)> Frames, bool Exhausted) Read(int max)
    {
        var count = _maxFrames > 0 ? (int)Math.Min(max, _maxFrames - _produced) : max;
        _produced += count;
        return (Enumerable.Range(0, count).Select(_ => _signal.Next()).ToList(), _maxFrames > 0 && _produced >= _maxFrames);
    }

    /// <summary>MAX_FRAMES were produced: the stream is complete (it is not restarted, whatever RECONNECTABLE says).</summary>
    protected override void OnExhausted()
    {
        StopProducing();
        Report(CaptureState.Closed, $"synthetic stream complete after MAX_FRAMES={_maxFrames}");
    }
}

/// <summary>The deterministic signal behind <see cref="SyntheticSensorCapture"/>, usable on its own (training data, tests).</summary>
public sealed class SyntheticSignal
{
    private readonly Random _random;
    private readonly int _sensors;
    private readonly double _mean;
    private readonly double _std;
    private readonly double _anomalyProbability;
    private readonly double _anomalyMagnitude;
    private readonly int _anomalyLength;
    private readonly string[] _names;
    private long _step;
    private int _anomalyLeft;
    private double _anomalySign = 1;

    public SyntheticSignal(int seed, int sensors = 1, double mean = 20, double std = 1, double anomalyProbability = 0.01,
        double anomalyMagnitude = 8, int anomalyLength = 3)
    {
        _random = new Random(seed);
        _sensors = sensors;
        _mean = mean;
        _std = std;
        _anomalyProbability = anomalyProbability;
        _anomalyMagnitude = anomalyMagnitude;
        _anomalyLength = anomalyLength;
        _names = sensors == 1 ? ["value"] : Enumerable.Range(0, sensors).Select(i => $"value_{i}").ToArray();
    }

    public IReadOnlyList<string> Names => _names;

    /// <summary>The next frame starts an anomaly (upwards), whatever the dice say.</summary>
    public void InjectAnomaly()
    {
        _anomalyLeft = _anomalyLength;
        _anomalySign = 1;
    }

    public static SyntheticSignal FromConfig(ConfigReader config) => new(
        config.Integer("SEED", 42),
        config.Integer("SENSORS", 1, min: 1, max: 64),
        config.Number("MEAN", 20),
        config.Number("STD", 1, min: 0, max: 1e9),
        config.Number("ANOMALY_PROBABILITY", 0.01, min: 0, max: 1),
        config.Number("ANOMALY_MAGNITUDE", 8, min: 0, max: 1e6),
        config.Integer("ANOMALY_LENGTH", 3, min: 1, max: 10_000));

    public (ImmutableDictionary<string, double> Values, ImmutableDictionary<string, string> Meta) Next()
    {
        if (_anomalyLeft == 0 && _random.NextDouble() < _anomalyProbability)
        {
            _anomalyLeft = _anomalyLength;
            _anomalySign = _random.NextDouble() < 0.5 ? -1 : 1;
        }

        var anomalous = _anomalyLeft > 0;
        if (anomalous)
        {
            _anomalyLeft--;
        }

        var values = ImmutableDictionary.CreateBuilder<string, double>(StringComparer.Ordinal);
        for (var s = 0; s < _sensors; s++)
        {
            var wave = 0.5 * _std * Math.Sin((2 * Math.PI * _step / 500.0) + s);
            var shift = anomalous ? _anomalySign * _anomalyMagnitude * _std : 0;
            values[_names[s]] = _mean + wave + (_std * Gaussian()) + shift;
        }

        _step++;
        return (values.ToImmutable(), ImmutableDictionary<string, string>.Empty.Add("anomaly", anomalous ? "1" : "0"));
    }

    private double Gaussian()
    {
        var u1 = 1.0 - _random.NextDouble();
        var u2 = _random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }
}
