using System.Reflection;
using System.Text.RegularExpressions;
using Naeural.Host.Cli;
using Naeural.Host.Hosting;
using Naeural.Testing;
using Xunit;

namespace Naeural.Host.Tests;

/// <summary>
/// docker-compose.yml can't be run here, so it is kept true to the Host: every service built from this repository runs either
/// a node with existing flags or a CLI verb that parses, and every NAEURAL__ variable names a node setting (nested ones too).
/// </summary>
public sealed partial class DockerComposeTests
{
    private static readonly string Compose = File.ReadAllText(RepositoryRoot.File("docker-compose.yml"));

    [Fact]
    public void Compose_has_a_seed_two_workers_postgresql_and_an_evm_devnet()
    {
        var services = Services().Keys.ToHashSet();

        Assert.Superset(new HashSet<string> { "seed", "worker1", "worker2", "postgres", "devnet", "contract" }, services);
        Assert.Contains("image: postgres", Services()["postgres"]);
        Assert.Contains("ganache", Services()["devnet"]);
    }

    [Fact]
    public void Every_node_service_passes_only_flags_of_the_host()
    {
        var nodes = Services().Where(s => s.Value.Contains("build: .") && Command(s.Value) is [var first, ..] && first.StartsWith("--")).ToList();

        Assert.Equal(3, nodes.Count);
        foreach (var (name, body) in nodes)
        {
            var flags = Command(body).Where(a => a.StartsWith("--")).ToList();
            Assert.All(flags, flag => Assert.True(CommandLineFlags.Mappings.ContainsKey(flag), $"{name} uses unknown flag {flag}"));
        }
    }

    [Fact]
    public void Every_cli_service_runs_a_verb_that_parses()
    {
        var verbs = Services().Where(s => s.Value.Contains("build: .") && Command(s.Value) is [var first, ..] && !first.StartsWith("--")).ToList();

        Assert.NotEmpty(verbs);
        foreach (var (name, body) in verbs)
        {
            var parsed = NaeuralCli.Commands().Parse(Command(body));
            Assert.True(parsed.Errors.Count == 0, $"{name}: {string.Join("; ", parsed.Errors.Select(e => e.Message))}");
        }
    }

    [Fact]
    public void Every_environment_variable_in_docker_compose_names_a_node_setting()
    {
        var variables = EnvironmentSetting().Matches(Compose).Select(m => m.Groups[1].Value).Distinct().ToList();

        Assert.Contains("LEDGER__EVMCONTRACT", variables);
        foreach (var variable in variables)
        {
            var type = typeof(NodeOptions);
            foreach (var part in variable.Split("__"))
            {
                var property = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
                    .FirstOrDefault(p => p.CanWrite && p.Name.Equals(part, StringComparison.OrdinalIgnoreCase));
                Assert.True(property is not null, $"NAEURAL__{variable}: {type.Name} has no setting {part}");
                type = property!.PropertyType;
            }
        }
    }

    /// <summary>Each service's name and the lines of its block (two-space indented keys under <c>services:</c>).</summary>
    private static Dictionary<string, string> Services()
    {
        var section = Compose[(Compose.IndexOf("\nservices:\n", StringComparison.Ordinal) + "\nservices:\n".Length)..];
        var end = Regex.Match(section, @"^\S", RegexOptions.Multiline); // the next top-level key
        section = end.Success ? section[..end.Index] : section;
        return ServiceHeader().Matches(section).Select((m, i) =>
        {
            var next = m.NextMatch();
            return (m.Groups[1].Value, section[m.Index..(next.Success ? next.Index : section.Length)]);
        }).ToDictionary(s => s.Item1, s => s.Item2);
    }

    private static string[] Command(string service) =>
        CommandArray().Match(service) is { Success: true } m ? [.. Quoted().Matches(m.Groups[1].Value).Select(q => q.Groups[1].Value)] : [];

    [GeneratedRegex(@"^  ([a-z0-9-]+):\s*$", RegexOptions.Multiline)]
    private static partial Regex ServiceHeader();

    [GeneratedRegex(@"^    command:\s*\[(.*?)\]", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex CommandArray();

    [GeneratedRegex("\"([^\"]*)\"")]
    private static partial Regex Quoted();

    [GeneratedRegex(@"NAEURAL__([A-Z_]+):")]
    private static partial Regex EnvironmentSetting();
}
