using Naeural.Actors.Capture;
using Naeural.Inference.Models;
using Xunit;
using Xunit.Abstractions;

namespace Naeural.Inference.Tests;

public sealed class AnomalyTrainingTests(ITestOutputHelper output)
{
    [Fact]
    public void The_trained_model_flags_injected_anomalies_with_precision_and_recall_above_0_9_on_a_held_out_stream()
    {
        var trained = AnomalyTraining.Train(new SyntheticSignal(seed: 1, anomalyProbability: 0.01));

        var quality = AnomalyTraining.Evaluate(trained.Model, new SyntheticSignal(seed: 2, anomalyProbability: 0.01));

        output.WriteLine($"threshold {trained.Threshold:0.000}, loss {trained.FinalLoss:0.000}, {quality}");
        Assert.True(quality.Anomalous > 100, $"the held-out stream has anomalies to find ({quality.Anomalous} windows)");
        Assert.True(quality.Precision > 0.9, $"precision {quality.Precision:0.000}");
        Assert.True(quality.Recall > 0.9, $"recall {quality.Recall:0.000}");
    }

    [Fact]
    public void Training_learns_on_a_thread_whose_caller_turned_gradients_off()
    {
        // Grad mode is per thread: an async caller whose no_grad scope spans an await leaves it off on the thread it started
        // on (CI ran this test on such a thread: "element 0 of tensors does not require grad").
        using var noGrad = TorchSharp.torch.no_grad();

        var trained = AnomalyTraining.Train(new SyntheticSignal(seed: 1, anomalyProbability: 0.01), frames: 2_000, epochs: 1);

        Assert.True(float.IsFinite(trained.FinalLoss), $"loss {trained.FinalLoss}");
        Assert.False(TorchSharp.torch.is_grad_enabled(), "the caller's grad mode is left as it was");
    }
}
