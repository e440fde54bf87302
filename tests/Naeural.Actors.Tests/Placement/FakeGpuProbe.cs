using Naeural.Actors.Nodes;

namespace Naeural.Actors.Tests.Placement;

/// <summary>This machine's CPU and memory, plus a GPU it doesn't have: a GPU node for placement tests on a CPU-only machine.</summary>
public sealed class FakeGpuProbe : IResourceProbe
{
    private readonly SystemResourceProbe _system = new();

    public ResourceSample Sample() => _system.Sample() with { Gpu = new GpuInfo("Test GPU", 24_000) };
}
