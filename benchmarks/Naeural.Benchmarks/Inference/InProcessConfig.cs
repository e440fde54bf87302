using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;

namespace Naeural.Benchmarks.Inference;

/// <summary>
/// In-process runs for the inference benchmarks: TorchSharp's native bridge is patched in this build's output, not in a copy
/// BenchmarkDotNet would build.
/// </summary>
public sealed class InProcessConfig : ManualConfig
{
    public InProcessConfig()
    {
        AddJob(Job.Default.WithToolchain(BenchmarkDotNet.Toolchains.InProcess.Emit.InProcessEmitToolchain.Instance)
            .WithLaunchCount(1).WithWarmupCount(3).WithIterationCount(8));
        AddColumn(StatisticColumn.OperationsPerSecond);
    }
}
