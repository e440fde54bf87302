using Naeural.Actors.Serialization;
using Naeural.Host.Hosting;

namespace Naeural.Benchmarks.Kernel;

/// <summary>Benchmarks that start shard regions of their own beside a node's.</summary>
public static class BenchmarkRegions
{
    /// <summary>
    /// Members reach only trusted paths (untrusted mode): HOCON that adds the coordinator of each named region to the node's
    /// own list, so those regions can register with it from another member.
    /// </summary>
    public static string TrustedPathsWith(params string[] typeNames) =>
        "akka.remote.trusted-selection-paths = [" + string.Join(", ",
            SerializationConfig.InfrastructureSelectionPaths.Concat(NaeuralAkkaSetup.TrustedSelectionPaths)
                .Concat(typeNames.SelectMany(t => new[] { $"/system/sharding/{t}Coordinator", $"/system/sharding/{t}Coordinator/singleton/coordinator" }))
                .Select(p => $"\"{p}\"")) + "]";
}
