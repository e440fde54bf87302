using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Naeural.Host.Hosting;
using Naeural.Host.Http;
using Naeural.Testing;
using Xunit;

namespace Naeural.Host.Tests.Http;

[Collection(InProcessNodes.Name)]
public sealed class HttpSettingsTests : Akka.TestKit.Xunit2.TestKit
{
    [Fact]
    public void By_default_the_node_serves_HTTP_on_loopback_port_8080()
    {
        var http = new NodeOptions().Http;

        Assert.Equal((true, "127.0.0.1", 8080), (http.Enabled, http.Hostname, http.Port));
    }

    [Fact]
    public void The_HTTP_flags_set_the_HTTP_settings()
    {
        var options = NodeOptions.From(new ConfigurationBuilder()
            .AddCommandLine(["--http-port", "0", "--http-hostname", "0.0.0.0", "--http", "false"], CommandLineFlags.Mappings)
            .Build());

        Assert.Equal((false, "0.0.0.0", 0), (options.Http.Enabled, options.Http.Hostname, options.Http.Port));
    }

    [Theory]
    [InlineData(70000, "127.0.0.1", "--http-port")]
    [InlineData(-1, "127.0.0.1", "--http-port")]
    [InlineData(8080, "example.com", "--http-hostname")]
    public void A_bad_HTTP_port_or_hostname_is_refused_naming_the_flag(int port, string hostname, string flag)
    {
        var options = new NodeOptions { Http = new HttpOptions { Port = port, Hostname = hostname } };

        Assert.Contains(flag, Assert.Throws<ArgumentException>(options.Validate).Message);
    }

    [Fact]
    public async Task A_busy_HTTP_port_fails_the_start_naming_the_flag()
    {
        using var busy = new TcpListener(IPAddress.Loopback, 0);
        busy.Start();
        using var data = new TempDirectory();
        using var host = NodeHost.Build(new NodeOptions
        {
            Port = 0,
            DataDirectory = data.Sub("node"),
            Http = new HttpOptions { Port = ((IPEndPoint)busy.LocalEndpoint).Port },
        });

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => host.StartAsync());

        Assert.Contains("--http-port", error.Message);
        await host.StopAsync();
    }

    [Fact]
    public async Task With_HTTP_off_the_node_runs_without_an_HTTP_address()
    {
        await using var network = await InProcessNetwork.StartAsync(1, _ => new NodeCustomization(Options: o => o.Http.Enabled = false));

        Assert.Null(network[0].HttpAddress);
        Assert.NotNull(network[0].Service<HttpApiServer>());
        await AwaitAssertAsync(async () => Assert.Single((await network[0].Client.GetNodesAsync()).Nodes), // the node still serves
            TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(250));
    }
}
