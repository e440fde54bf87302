using System.Globalization;

namespace Naeural.Actors.Nodes;

/// <summary>CPU and memory from the OS (<c>/proc</c> on Linux, the GC's view of the machine elsewhere); no GPU.</summary>
public sealed class SystemResourceProbe : IResourceProbe
{
    public ResourceSample Sample()
    {
        var (total, free) = ReadMemoryMb();
        return new ResourceSample(Environment.ProcessorCount, total, free, ReadLoad(), Gpu: null);
    }

    private static (long TotalMb, long FreeMb) ReadMemoryMb()
    {
        if (OperatingSystem.IsLinux() && File.Exists("/proc/meminfo"))
        {
            long total = 0, available = 0;
            foreach (var line in File.ReadLines("/proc/meminfo"))
            {
                if (line.StartsWith("MemTotal:", StringComparison.Ordinal))
                {
                    total = ParseKb(line);
                }
                else if (line.StartsWith("MemAvailable:", StringComparison.Ordinal))
                {
                    available = ParseKb(line);
                }
            }

            if (total > 0)
            {
                return (total / 1024, available / 1024);
            }
        }

        var info = GC.GetGCMemoryInfo();
        var totalBytes = info.TotalAvailableMemoryBytes;
        return (totalBytes / (1024 * 1024), Math.Max(0, totalBytes - info.MemoryLoadBytes) / (1024 * 1024));
    }

    private static long ParseKb(string line) =>
        long.TryParse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var kb)
            ? kb
            : 0;

    /// <summary>One-minute load average per core (0 = idle, 1 = every core busy); 0 where the OS doesn't say.</summary>
    private static double ReadLoad()
    {
        if (OperatingSystem.IsLinux() && File.Exists("/proc/loadavg")
            && double.TryParse(File.ReadAllText("/proc/loadavg").Split(' ')[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var load))
        {
            return Math.Round(load / Environment.ProcessorCount, 3);
        }

        return 0;
    }
}
