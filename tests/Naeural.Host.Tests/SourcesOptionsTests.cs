using Microsoft.Extensions.Configuration;
using Naeural.Host.Hosting;
using Xunit;

namespace Naeural.Host.Tests;

public sealed class SourcesOptionsTests
{
    [Fact]
    public void By_default_tenants_read_files_under_data_files_and_reach_no_network_endpoint()
    {
        var options = new NodeOptions { DataDirectory = "/srv/naeural" };
        options.Validate();
        var access = options.Sources.Access(options.FullDataDirectory);

        Assert.Equal("/srv/naeural/files", access.Files!.Folder);
        Assert.Empty(access.MqttBrokers.Rules);
        Assert.Empty(access.HttpTargets.Rules);
        Assert.Empty(access.IngestPrefixes.Rules);
    }

    [Theory]
    [InlineData("/srv/naeural")]
    [InlineData("/srv")]
    [InlineData("/")]
    public void A_files_root_holding_the_data_folder_is_refused_naming_the_flag(string root)
    {
        var options = new NodeOptions { DataDirectory = "/srv/naeural", Sources = { FilesRoot = root } };

        Assert.Contains("--files-root", Assert.Throws<ArgumentException>(options.Validate).Message);
    }

    [Fact]
    public void A_files_root_holding_a_tls_file_is_refused_naming_the_flag()
    {
        var options = new NodeOptions { DataDirectory = "/srv/naeural", TlsCertificate = "/etc/naeural/node.pfx", Sources = { FilesRoot = "/etc" } };

        Assert.Contains("--files-root", Assert.Throws<ArgumentException>(() => options.Sources.Validate(options.FullDataDirectory, [options.TlsCertificate])).Message);
    }

    [Theory]
    [InlineData("MqttBrokers", "--mqtt-brokers")]
    [InlineData("HttpTargets", "--http-targets")]
    [InlineData("IngestPrefixes", "--ingest-prefixes")]
    public void A_malformed_allow_list_entry_is_refused_at_start_naming_the_flag(string setting, string flag)
    {
        var options = new NodeOptions();
        typeof(SourcesOptions).GetProperty(setting)!.SetValue(options.Sources, "broker-without-port");

        Assert.Contains(flag, Assert.Throws<ArgumentException>(options.Validate).Message);
    }

    [Fact]
    public void The_flags_set_the_sources_settings()
    {
        var configuration = new ConfigurationBuilder().AddCommandLine(
            ["--files-root", "/srv/files", "--mqtt-brokers", "10.0.0.5:1883", "--http-targets", "api.example.com:443", "--ingest-prefixes", "127.0.0.1:5080/ingest/"],
            CommandLineFlags.Mappings).Build();
        var options = NodeOptions.From(configuration);

        Assert.Equal(("/srv/files", "10.0.0.5:1883", "api.example.com:443", "127.0.0.1:5080/ingest/"),
            (options.Sources.FilesRoot, options.Sources.MqttBrokers, options.Sources.HttpTargets, options.Sources.IngestPrefixes));
    }
}
