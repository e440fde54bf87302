using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Naeural.Inference.Models;

/// <summary>
/// An autoencoder over a window of sensor readings: trained on normal data only, it reconstructs normal windows well and
/// anomalous ones badly, so its output (one value per window) is the reconstruction error, the anomaly score.
/// </summary>
public sealed class AnomalyAutoencoder : Module<Tensor, Tensor>
{
    private readonly TorchSharp.Modules.Sequential _encoder;
    private readonly TorchSharp.Modules.Sequential _decoder;

#pragma warning disable IDE1006 // TorchSharp keys a module's buffers by field name: these names are in every saved model.
    // Normalisation, stored with the weights (buffers, not trained): readings are centred and scaled before encoding.
    private readonly Tensor center = torch.zeros(1);
    private readonly Tensor scale = torch.ones(1);

    // The calibrated threshold, stored with the weights: the model's output is score / threshold, so above 1 = anomalous.
    private readonly Tensor threshold = torch.ones(1);
#pragma warning restore IDE1006

    public AnomalyAutoencoder(long window, long bottleneck = 4)
        : base(nameof(AnomalyAutoencoder))
    {
        _encoder = Sequential(("enc1", Linear(window, 16)), ("act1", Tanh()), ("enc2", Linear(16, bottleneck)));
        _decoder = Sequential(("dec1", Linear(bottleneck, 16)), ("act2", Tanh()), ("dec2", Linear(16, window)));
        RegisterComponents();
    }

    /// <summary>Sets the normalisation from the training data's mean and standard deviation.</summary>
    public void SetNormalisation(float mean, float standardDeviation)
    {
        using var noGrad = torch.no_grad();
        center.fill_(mean);
        scale.fill_(Math.Max(standardDeviation, 1e-6f));
    }

    /// <summary>Sets the raw score above which a window is anomalous; from then on the output is relative to it.</summary>
    public void SetThreshold(float rawScore)
    {
        using var noGrad = torch.no_grad();
        threshold.fill_(Math.Max(rawScore, 1e-9f));
    }

    /// <summary>Normalised windows (batch × window): what the autoencoder sees and reconstructs.</summary>
    public Tensor Normalise(Tensor windows) => (windows - center) / scale;

    /// <summary>The reconstruction of normalised windows: what training minimises the error of.</summary>
    public Tensor Reconstruct(Tensor normalised)
    {
        using var code = _encoder.forward(normalised);
        return _decoder.forward(code);
    }

    /// <summary>
    /// The anomaly score of each window of raw readings (batch × 1): its mean squared reconstruction error, divided by the
    /// calibrated threshold (1 until training sets one), so a score above 1 means anomalous.
    /// </summary>
    public override Tensor forward(Tensor windows)
    {
        using var normalised = Normalise(windows);
        using var reconstruction = Reconstruct(normalised);
        using var error = (reconstruction - normalised).pow(2);
        using var mean = error.mean([1], keepdim: true);
        return mean / threshold;
    }
}
