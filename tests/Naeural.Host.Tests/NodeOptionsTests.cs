using Naeural.Host.Hosting;
using Xunit;

namespace Naeural.Host.Tests;

public sealed class NodeOptionsTests
{
    [Fact]
    public void The_defaults_make_a_self_seeded_loopback_node_with_embedded_persistence()
    {
        var options = new NodeOptions();
        options.Validate();

        Assert.Equal("127.0.0.1", options.Hostname);
        Assert.Empty(options.SeedList);
        Assert.Equal("sqlite", options.Persistence);
    }

    [Theory]
    [InlineData("http://naeural@127.0.0.1:4053")]
    [InlineData("akka.tcp://other@127.0.0.1:4053")]
    [InlineData("127.0.0.1:4053")]
    public void A_seed_that_is_not_a_node_address_is_refused_naming_the_flag(string seed)
    {
        var error = Assert.Throws<ArgumentException>(() => new NodeOptions { Seeds = seed }.Validate());

        Assert.Contains("--seed", error.Message);
    }

    [Fact]
    public void A_port_out_of_range_is_refused_naming_the_flag()
    {
        Assert.Contains("--port", Assert.Throws<ArgumentException>(() => new NodeOptions { Port = 70000 }.Validate()).Message);
    }

    [Fact]
    public void Comma_separated_settings_are_split_and_trimmed()
    {
        var options = new NodeOptions { Seeds = "akka.tcp://naeural@a:1, akka.tcp://naeural@b:2", Tags = "gpu, edge ,", };

        Assert.Equal(["akka.tcp://naeural@a:1", "akka.tcp://naeural@b:2"], options.SeedList);
        Assert.Equal(["gpu", "edge"], options.TagList);
    }
}
