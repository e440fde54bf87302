using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using Naeural.Host.Hosting;

namespace Naeural.Testing;

/// <summary>
/// A real <c>Naeural.Host</c> process on loopback, started from the Host's build output, awaited until it prints
/// <see cref="NodeBanner.UpMarker"/>. Its output is kept for diagnostics; dispose kills it.
/// </summary>
public sealed partial class NodeProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly TaskCompletionSource<(string Id, string Address, string Edge, Uri? Http)> _up = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private NodeProcess(Process process)
    {
        _process = process;
    }

    public string NodeId { get; private set; } = "";

    /// <summary>The node's member address (for other nodes: <c>--seed</c>).</summary>
    public string Address { get; private set; } = "";

    /// <summary>The node's client edge (for clients and the CLI's <c>--node</c>).</summary>
    public string EdgeAddress { get; private set; } = "";

    /// <summary>The dashboard's URL the banner printed (the HTTP API is under <c>api/</c>); null when HTTP is off.</summary>
    public Uri? HttpAddress { get; private set; }

    public int ProcessId => _process.Id;

    public bool HasExited => _process.HasExited;

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>
    /// Starts <c>dotnet naeural.dll</c> with <paramref name="arguments"/> (and <paramref name="environment"/> variables
    /// besides the test process's own) and waits until it is an up member. Its HTTP server takes any free port unless the
    /// arguments or environment say otherwise, so several nodes run side by side.
    /// </summary>
    public static async Task<NodeProcess> StartAsync(
        IEnumerable<string> arguments,
        TimeSpan? timeout = null,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var info = HostExecutable.StartInfo(arguments);
        info.Environment["NAEURAL__HTTP__PORT"] = "0";
        info.Environment["NAEURAL__CLIENTPORT"] = "0";
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[name] = value;
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException("could not start dotnet");
        var node = new NodeProcess(process);
        process.OutputDataReceived += (_, e) => node.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => node.OnLine(e.Data);
        process.EnableRaisingEvents = true;
        process.Exited += (_, _) => node._up.TrySetException(
            new InvalidOperationException($"node process exited with {process.ExitCode} before it was up:\n{node.Output}"));
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            (node.NodeId, node.Address, node.EdgeAddress, node.HttpAddress) = await node._up.Task.WaitAsync(timeout ?? TimeSpan.FromSeconds(90));
        }
        catch (TimeoutException)
        {
            await node.DisposeAsync();
            throw new TimeoutException($"node process did not come up:\n{node.Output}");
        }

        return node;
    }

    /// <summary>
    /// A polite stop, as a service manager or Ctrl+C asks: the node leaves the network and exits. Sent as SIGTERM, which the
    /// node treats like Ctrl+C's SIGINT: a process started from a background job inherits SIGINT ignored (POSIX), and .NET
    /// then never sees it, so a suite run in the background would wait on a node that never heard the Ctrl+C.
    /// </summary>
    public async Task InterruptAsync(TimeSpan timeout)
    {
        if (_process.HasExited)
        {
            return;
        }

        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString()]))
        {
            await kill.WaitForExitAsync();
        }

        try
        {
            await _process.WaitForExitAsync().WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"the node did not exit within {timeout.TotalSeconds:0} s of being asked to stop:\n{Output}");
        }
    }

    /// <summary><c>kill -STOP</c>: a frozen machine, silent to the network until <see cref="ResumeAsync"/>.</summary>
    public Task SuspendAsync() => SignalAsync("-STOP");

    /// <summary><c>kill -CONT</c>: the frozen machine runs again.</summary>
    public Task ResumeAsync() => SignalAsync("-CONT");

    /// <summary>Waits for the process to end by itself and gives its exit code.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        try
        {
            await _process.WaitForExitAsync().WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"the node did not exit by itself within {timeout.TotalSeconds:0} s:\n{Output}");
        }

        return _process.ExitCode;
    }

    private async Task SignalAsync(string signal)
    {
        using var kill = Process.Start("kill", [signal, _process.Id.ToString()]);
        await kill.WaitForExitAsync();
    }

    /// <summary><c>kill -9</c>: no goodbye to the network.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }
    }

    public ValueTask DisposeAsync()
    {
        Kill();
        _process.Dispose();
        return ValueTask.CompletedTask;
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }

        if (line.StartsWith(NodeBanner.UpMarker, StringComparison.Ordinal) && UpLine().Match(line) is { Success: true } match)
        {
            _up.TrySetResult((match.Groups["id"].Value, match.Groups["address"].Value, match.Groups["edge"].Value,
                match.Groups["http"].Success ? new Uri(match.Groups["http"].Value) : null));
        }
    }

    [GeneratedRegex(@"id=(?<id>0x[0-9a-fA-F]{40}) address=(?<address>\S+) edge=(?<edge>\S+)( dashboard=(?<http>\S+))?")]
    private static partial Regex UpLine();
}
