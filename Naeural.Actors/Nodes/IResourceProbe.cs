namespace Naeural.Actors.Nodes;

/// <summary>One reading of the machine's resources.</summary>
public sealed record ResourceSample(int Cores, long TotalMemoryMb, long FreeMemoryMb, double CpuLoad, GpuInfo? Gpu);

/// <summary>Reads the machine's resources. The kernel's <see cref="SystemResourceProbe"/> knows CPU and memory; Naeural.Inference adds the GPU.</summary>
public interface IResourceProbe
{
    ResourceSample Sample();
}
