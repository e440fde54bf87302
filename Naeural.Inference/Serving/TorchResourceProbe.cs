using Naeural.Actors.Nodes;
using TorchSharp;

namespace Naeural.Inference.Serving;

/// <summary>The machine's CPU and memory (from <paramref name="inner"/>) plus the GPU that TorchSharp sees, if any.</summary>
public sealed class TorchResourceProbe(IResourceProbe inner) : IResourceProbe
{
    private readonly GpuInfo? _gpu = DetectGpu();

    public ResourceSample Sample() => inner.Sample() with { Gpu = _gpu };

    private static GpuInfo? DetectGpu()
    {
        try
        {
            return torch.cuda.is_available() ? new GpuInfo($"cuda x{torch.cuda.device_count()}", 0) : null;
        }
        catch (Exception e) when (e is TypeInitializationException or DllNotFoundException or NotSupportedException)
        {
            return null; // TorchSharp could not load here: no GPU to offer
        }
    }
}
