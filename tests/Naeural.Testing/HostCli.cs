using System.Diagnostics;

namespace Naeural.Testing;

/// <summary>Runs the node executable's client verbs (<c>pipeline deploy …</c>) as a person would, to completion.</summary>
public static class HostCli
{
    public static async Task<(int ExitCode, string Output)> RunAsync(params string[] arguments)
    {
        using var process = Process.Start(HostExecutable.StartInfo(arguments)) ?? throw new InvalidOperationException("could not start dotnet");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(120));
        return (process.ExitCode, await stdout + await stderr);
    }
}
