using TorchSharp;
using static TorchSharp.torch;

namespace Naeural.Inference.Serving;

/// <summary>Where models run: CUDA when TorchSharp reports it (a CUDA build, see the NaeuralCuda switch), else the CPU.</summary>
public static class InferenceDevice
{
    public static Device Choose() => torch.cuda.is_available() ? CUDA : CPU;

    /// <summary>A short description for the node's heartbeat ("cuda: 1 device(s)" or "cpu").</summary>
    public static string Describe() => torch.cuda.is_available() ? $"cuda: {torch.cuda.device_count()} device(s)" : "cpu";
}
