using Naeural.Actors.Capture;
using TorchSharp;
using static TorchSharp.torch;

namespace Naeural.Inference.Models;

/// <summary>A trained anomaly model and the score above which a window is anomalous.</summary>
public sealed record TrainedAnomalyModel(AnomalyAutoencoder Model, float Threshold, int TrainingWindows, float FinalLoss);

/// <summary>How well a threshold separates anomalous windows from normal ones.</summary>
public sealed record DetectionQuality(double Precision, double Recall, int Windows, int Anomalous);

/// <summary>
/// Trains <see cref="AnomalyAutoencoder"/> on the synthetic sensor stream, the same one <c>SyntheticSensor</c> pipelines
/// capture: only windows without an injected anomaly are learnt, and the threshold is set above the scores of normal
/// windows (1.25 times their 99.9th percentile): a window holding even one anomalous reading scores well above it. Seconds
/// on a CPU.
/// </summary>
public static class AnomalyTraining
{
    /// <param name="progress">Told after each training epoch how many are done (of <paramref name="epochs"/>).</param>
    public static TrainedAnomalyModel Train(SyntheticSignal signal, int frames = 20_000, int epochs = 15, long seed = 1, IProgress<int>? progress = null)
    {
        // Grad mode is per thread and a caller may have left it off (an async no_grad scope that spanned an await): training
        // turns it on for itself and gives the caller's mode back when done.
        using var grad = torch.enable_grad();
        torch.manual_seed(seed);
        var window = ModelCatalogue.AnomalyWindow;
        var (values, labels) = Record(signal, frames);
        var normal = Windows(values, labels, window).Where(w => !w.Anomalous).Select(w => w.Values).ToArray();
        var flat = normal.SelectMany(w => w).ToArray();
        var mean = flat.Average();
        var std = (float)Math.Sqrt(flat.Average(v => (v - mean) * (v - mean)));

        var model = new AnomalyAutoencoder(window);
        model.SetNormalisation(mean, std);
        model.train();
        using var optimizer = optim.Adam(model.parameters(), lr: 3e-3);
        using var data = torch.tensor(normal.SelectMany(w => w).ToArray(), [normal.Length, window]);
        var loss = 0f;
        for (var epoch = 0; epoch < epochs; epoch++)
        {
            using var order = torch.randperm(normal.Length);
            for (var start = 0; start < normal.Length; start += 128)
            {
                // No dispose scope around the step: the optimizer creates its state (moments, scalars) on the first step,
                // and a scope would free it under the optimizer's feet (a use-after-free TorchSharp reports at random).
                using var indices = order.narrow(0, start, Math.Min(128, normal.Length - start));
                using var batch = data.index(indices);
                using var normalised = model.Normalise(batch);
                using var reconstructed = model.Reconstruct(normalised);
                using var error = nn.functional.mse_loss(reconstructed, normalised);
                optimizer.zero_grad();
                error.backward();
                optimizer.step();
                loss = error.item<float>();
            }

            progress?.Report(epoch + 1);
        }

        model.eval();
        var scores = Score(model, normal);
        Array.Sort(scores);
        var threshold = 1.25f * scores[(int)Math.Min(scores.Length - 1, Math.Ceiling(scores.Length * 0.999))];
        model.SetThreshold(threshold);
        return new TrainedAnomalyModel(model, threshold, normal.Length, loss);
    }

    /// <summary>
    /// Precision and recall on a stream the model has not seen, window by window, flagging scores above
    /// <paramref name="threshold"/> (1 = the model's own calibrated threshold).
    /// </summary>
    public static DetectionQuality Evaluate(AnomalyAutoencoder model, SyntheticSignal heldOut, float threshold = 1, int frames = 10_000)
    {
        var (values, labels) = Record(heldOut, frames);
        var windows = Windows(values, labels, ModelCatalogue.AnomalyWindow).ToArray();
        var scores = Score(model, [.. windows.Select(w => w.Values)]);
        int truePositives = 0, falsePositives = 0, falseNegatives = 0;
        for (var i = 0; i < windows.Length; i++)
        {
            var flagged = scores[i] > threshold;
            truePositives += flagged && windows[i].Anomalous ? 1 : 0;
            falsePositives += flagged && !windows[i].Anomalous ? 1 : 0;
            falseNegatives += !flagged && windows[i].Anomalous ? 1 : 0;
        }

        return new DetectionQuality(
            truePositives / (double)Math.Max(1, truePositives + falsePositives),
            truePositives / (double)Math.Max(1, truePositives + falseNegatives),
            windows.Length,
            truePositives + falseNegatives);
    }

    /// <summary>Sliding windows (stride 1) over readings; a window is anomalous when any of its readings is.</summary>
    public static IEnumerable<(float[] Values, bool Anomalous)> Windows(float[] values, bool[] labels, int window)
    {
        for (var end = window; end <= values.Length; end++)
        {
            yield return (values[(end - window)..end], labels.AsSpan(end - window, window).Contains(true));
        }
    }

    private static (float[] Values, bool[] Labels) Record(SyntheticSignal signal, int frames)
    {
        var values = new float[frames];
        var labels = new bool[frames];
        for (var i = 0; i < frames; i++)
        {
            var (readings, meta) = signal.Next();
            values[i] = (float)readings[signal.Names[0]];
            labels[i] = meta["anomaly"] == "1";
        }

        return (values, labels);
    }

    private static float[] Score(AnomalyAutoencoder model, float[][] windows)
    {
        using var scope = NewDisposeScope();
        using var noGrad = torch.no_grad();
        var input = torch.tensor(windows.SelectMany(w => w).ToArray(), [windows.Length, ModelCatalogue.AnomalyWindow]);
        return model.forward(input).data<float>().ToArray();
    }
}
