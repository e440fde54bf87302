using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Hosting;
using Naeural.Host.Hosting;
using Naeural.Testing;
using Xunit;

namespace Naeural.Host.Tests;

/// <summary>A node exports its metrics over OTLP and writes structured logs.</summary>
public sealed class NodeTelemetryTests : Akka.TestKit.Xunit2.TestKit
{
    [Fact]
    public async Task A_node_with_an_otlp_endpoint_exports_its_metrics_under_its_own_identity()
    {
        using var receiver = new OtlpReceiver();
        using var data = new TempDirectory();
        var developer = new Developer();
        var options = new NodeOptions { Port = 0, DataDirectory = data.Sub("node"), HeartbeatSeconds = 0.5 };
        options.Telemetry.OtlpEndpoint = receiver.Endpoint;
        options.Telemetry.OtlpProtocol = TelemetryOptions.HttpProtobuf;
        options.Telemetry.ExportIntervalSeconds = 0.5;
        using var host = NodeHost.Build(options);
        await host.StartAsync();
        var node = InProcessNode.From(host);
        try
        {
            await developer.ClientFor(node).DeployAsync(Specs.Sensor("exported", "PASS_THROUGH", rate: 50));

            await AwaitAssertAsync(() =>
            {
                var metrics = receiver.Bodies("/v1/metrics");
                Assert.Contains(metrics, body => body.Contains("naeural.payloads") && body.Contains("naeural.frames"));
                Assert.Contains(metrics, body => body.Contains(NodeTelemetry.ServiceName) && body.Contains(node.NodeId));
            }, TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(200));
        }
        finally
        {
            await node.StopAsync();
        }
    }

    [Fact]
    public async Task With_json_logs_every_log_line_of_a_node_process_is_one_json_object()
    {
        using var data = new TempDirectory();
        await using var node = await NodeProcess.StartAsync(["--port", FreePort.Next().ToString(), "--data", data.Sub("node"), "--log-format", "json"]);

        List<string> JsonLines() => [.. node.Output.Split('\n').Select(l => l.Trim()).Where(l => l.StartsWith('{'))];
        bool IsUpEvent(string line)
        {
            using var json = JsonDocument.Parse(line);
            return json.RootElement.TryGetProperty("State", out var state)
                   && state.TryGetProperty("NodeId", out var id) && id.GetString() == node.NodeId;
        }

        // The node logs that it is up as one event whose fields can be queried; the console logger writes in the background.
        await AwaitAssertAsync(() => Assert.Contains(JsonLines(), IsUpEvent), TimeSpan.FromSeconds(20), TimeSpan.FromMilliseconds(100));

        // A stranger writing garbage to the client port: what the edge logs about it is JSON too (it was Akka's plain text,
        // outside the node's logging and its OTLP export).
        var edge = new Uri(node.EdgeAddress.Replace("akka.tcp://", "tcp://"));
        using (var stranger = new System.Net.Sockets.TcpClient())
        {
            await stranger.ConnectAsync(edge.Host, edge.Port);
            await stranger.GetStream().WriteAsync((byte[])[0xff, 0xff, 0xff, 0xff, .. Encoding.ASCII.GetBytes("not an akka frame")]); // a negative length
        }

        await AwaitAssertAsync(() => Assert.Contains(JsonLines(), line => line.Contains("CorruptedFrameException") && line.Contains("naeural-edge")),
            TimeSpan.FromSeconds(20), TimeSpan.FromMilliseconds(100));

        // Its stop too: a log shipper reading the stream finds no line in Akka's own "[INFO][…]" format nor in the
        // console's "info: …" one, from the start to the exit (the banner, for people, is plain text on purpose).
        await node.InterruptAsync(TimeSpan.FromSeconds(60));
        Assert.DoesNotContain(node.Output.Split('\n'), line =>
            System.Text.RegularExpressions.Regex.IsMatch(line, @"^(\[(DEBUG|INFO|WARNING|ERROR)\]|(trce|dbug|info|warn|fail|crit): )"));
        Assert.All(JsonLines(), line =>
        {
            using var json = JsonDocument.Parse(line);
            Assert.True(json.RootElement.TryGetProperty("LogLevel", out _), line);
            Assert.True(json.RootElement.TryGetProperty("Category", out _), line);
            Assert.True(json.RootElement.TryGetProperty("Timestamp", out _), line);
        });
    }

    [Fact]
    public void Akka_events_logged_while_the_node_has_no_logger_are_json_lines_like_the_others()
    {
        var failure = new Akka.Event.Error(new InvalidOperationException("boom"), "remoting (akka://naeural)", typeof(object), "Remoting shut down");

        using var json = JsonDocument.Parse(JsonStdoutLogger.Format(failure));

        Assert.Equal("Error", json.RootElement.GetProperty("LogLevel").GetString());
        Assert.Equal("Akka.Actor.ActorSystem", json.RootElement.GetProperty("Category").GetString());
        Assert.Equal(failure.Timestamp.ToUniversalTime(), json.RootElement.GetProperty("Timestamp").GetDateTime().ToUniversalTime(), TimeSpan.FromMilliseconds(1));
        Assert.StartsWith("[remoting (akka://naeural)] Remoting shut down", json.RootElement.GetProperty("Message").GetString());
        Assert.Contains("boom", json.RootElement.GetProperty("Message").GetString());
        Assert.DoesNotContain('\n', JsonStdoutLogger.Format(failure)); // one line, even with a stack trace in it
    }

    /// <summary>An OTLP/HTTP collector stand-in on loopback: keeps the body of every request, answers 200.</summary>
    private sealed class OtlpReceiver : IDisposable
    {
        private readonly HttpListener _listener = new();
        private readonly List<(string Path, string Body)> _requests = [];

        public OtlpReceiver()
        {
            var port = FreePort.Next();
            Endpoint = $"http://127.0.0.1:{port}";
            _listener.Prefixes.Add(Endpoint + "/");
            _listener.Start();
            _ = Task.Run(ServeAsync);
        }

        public string Endpoint { get; }

        public IReadOnlyList<string> Bodies(string path)
        {
            lock (_requests)
            {
                return [.. _requests.Where(r => r.Path == path).Select(r => r.Body)];
            }
        }

        public void Dispose() => _listener.Close();

        private async Task ServeAsync()
        {
            while (_listener.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await _listener.GetContextAsync();
                }
                catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
                {
                    return;
                }

                using var body = new MemoryStream();
                await context.Request.InputStream.CopyToAsync(body);
                lock (_requests)
                {
                    _requests.Add((context.Request.Url!.AbsolutePath, Encoding.UTF8.GetString(body.ToArray())));
                }

                context.Response.StatusCode = 200;
                context.Response.Close();
            }
        }
    }
}
