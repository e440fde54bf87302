using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;

namespace Naeural.Benchmarks;

/// <summary>Adds the Op/s column, so throughput is read directly beside the Ratio to the baseline.</summary>
public sealed class OperationsPerSecondConfig : ManualConfig
{
    public OperationsPerSecondConfig() => AddColumn(StatisticColumn.OperationsPerSecond);
}
