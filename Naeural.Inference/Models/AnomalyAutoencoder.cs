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

    public AnomalyAutoencoder(long window, long bottleneck = 4)
        : base(nameof(AnomalyAutoencoder))
    {
        _encoder = Sequential(("enc1", Linear(window, 16)), ("act1", Tanh()), ("enc2", Linear(16, bottleneck)));
        _decoder = Sequential(("dec1", Linear(bottleneck, 16)), ("act2", Tanh()), ("dec2", Linear(16, window)));
        RegisterComponents();
    }

    /// <summary>The reconstruction of each window (batch × window): what training minimises the error of.</summary>
    public Tensor Reconstruct(Tensor windows)
    {
        using var code = _encoder.forward(windows);
        return _decoder.forward(code);
    }

    /// <summary>The anomaly score of each window (batch × 1): its mean squared reconstruction error.</summary>
    public override Tensor forward(Tensor windows)
    {
        using var reconstruction = Reconstruct(windows);
        using var error = (reconstruction - windows).pow(2);
        return error.mean([1], keepdim: true);
    }
}
