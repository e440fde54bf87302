using System.Diagnostics;
using System.Net.Sockets;

namespace Naeural.Testing;

/// <summary>
/// A real Mosquitto MQTT broker (Debian's <c>mosquitto</c>, installed by .ci/run) on a free loopback port, started and
/// stopped by the tests that claim MQTT. Can be stopped and started again on the same port to test reconnection.
/// </summary>
public sealed class MosquittoBroker : IAsyncDisposable
{
    private Process? _process;

    private MosquittoBroker(int port) => Port = port;

    public int Port { get; }

    public string Url => $"mqtt://127.0.0.1:{Port}";

    public static async Task<MosquittoBroker> StartAsync()
    {
        var broker = new MosquittoBroker(FreePort.Next());
        await broker.RestartAsync();
        return broker;
    }

    /// <summary>Starts the broker (again) and waits until it accepts connections.</summary>
    public async Task RestartAsync()
    {
        Stop();
        var executable = new[] { "/usr/sbin/mosquitto", "/usr/bin/mosquitto" }.FirstOrDefault(File.Exists)
                         ?? throw new InvalidOperationException("mosquitto is not installed: run .ci/run (apt-get install mosquitto)");
        _process = Process.Start(new ProcessStartInfo(executable, ["-p", Port.ToString()])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        }) ?? throw new InvalidOperationException("could not start mosquitto");
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (true)
        {
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync("127.0.0.1", Port);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline && !_process.HasExited)
            {
                await Task.Yield();
            }
        }
    }

    public void Stop()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill();
            _process.WaitForExit();
        }

        _process?.Dispose();
        _process = null;
    }

    public ValueTask DisposeAsync()
    {
        Stop();
        return ValueTask.CompletedTask;
    }
}
