using System.Text.RegularExpressions;
using Naeural.Host.Hosting;
using Naeural.Testing;
using Xunit;

namespace Naeural.Host.Tests;

/// <summary>docker-compose.yml can't be run here, so it is kept true to the Host: every flag it passes must exist.</summary>
public sealed partial class DockerComposeTests
{
    [Fact]
    public void Every_flag_in_docker_compose_is_a_flag_of_the_host()
    {
        var compose = File.ReadAllText(RepositoryRoot.File("docker-compose.yml"));
        var flags = Flag().Matches(compose).Select(m => m.Groups[1].Value).Distinct().ToList();

        Assert.NotEmpty(flags);
        Assert.All(flags, flag => Assert.True(CommandLineFlags.Mappings.ContainsKey(flag), $"docker-compose.yml uses unknown flag {flag}"));
    }

    [Fact]
    public void Every_environment_variable_in_docker_compose_names_a_node_setting()
    {
        var compose = File.ReadAllText(RepositoryRoot.File("docker-compose.yml"));
        var settings = typeof(NodeOptions).GetProperties().Select(p => p.Name.ToUpperInvariant()).ToHashSet();

        foreach (Match match in EnvironmentSetting().Matches(compose))
        {
            Assert.Contains(match.Groups[1].Value, settings);
        }
    }

    [GeneratedRegex("\"(--[a-z-]+)\"")]
    private static partial Regex Flag();

    [GeneratedRegex(@"NAEURAL__([A-Z]+):")]
    private static partial Regex EnvironmentSetting();
}
