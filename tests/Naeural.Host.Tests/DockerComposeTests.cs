using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using Naeural.Actors.Security;
using Naeural.Host.Cli;
using Naeural.Host.Hosting;
using Naeural.Ledger.Identity;
using Naeural.Testing;
using Xunit;

namespace Naeural.Host.Tests;

/// <summary>
/// docker-compose.yml can't be run here, so it is kept true to the Host: every service built from this repository runs either
/// a node with existing flags or a CLI verb that parses, and every NAEURAL__ variable names a node setting (nested ones too).
/// Each node's settings (its environment, merged anchors included, then its flags, bound as the Host binds them) pass the
/// Host's own validation; the nodes run TLS, join through TLS addresses of the seed service, and admit one another; the CLI
/// service reaches the seed over TLS with a certificate the nodes pin, trusting the nodes by their ids.
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

    [Fact]
    public void Every_node_service_passes_the_hosts_own_validation()
    {
        var nodes = NodeServices();

        Assert.Equal(3, nodes.Count);
        foreach (var (name, options) in nodes)
        {
            var refusal = Record.Exception(options.Validate);
            Assert.True(refusal is null, $"{name} would not start: {refusal?.Message}");
        }
    }

    [Fact]
    public void The_nodes_run_tls_join_through_the_seed_services_tls_address_and_admit_one_another()
    {
        var nodes = NodeServices();
        var ids = nodes.ToDictionary(n => n.Name, n => NodeKey.FromPrivateKeyHex(
            n.Options.NodeKey ?? throw new Xunit.Sdk.XunitException($"{n.Name} has no NAEURAL__NODEKEY: its id, which the others admit, must be fixed")).Address);
        var addresses = nodes.ToDictionary(n => $"{n.Options.AddressScheme}://naeural@{n.Options.PublicHostname}:{n.Options.Port}", n => n.Name);

        Assert.Equal(3, ids.Values.Distinct(StringComparer.OrdinalIgnoreCase).Count());
        Assert.Contains(nodes, n => n.Options.SeedList.Count == 0);
        foreach (var (name, options) in nodes)
        {
            Assert.True(options.TlsEnabled, $"{name} binds {options.Hostname}: it runs TLS");
            Assert.True(options.PublicHostname == name, $"{name} tells the others it is {options.PublicHostname}, not its service name");
            Assert.All(options.SeedList, seed => Assert.True(addresses.ContainsKey(seed),
                $"{name}'s seed {seed} is not a node service's address ({string.Join(", ", addresses.Keys)})"));
            var admission = options.Admission(ids[name]);
            foreach (var (other, id) in ids.Where(i => i.Key != name))
            {
                Assert.True(admission.IsAdmitted(id, out var reason), $"{name} does not admit {other}: {reason}");
            }
        }
    }

    [Fact]
    public void The_cli_service_reaches_the_seeds_edge_over_tls_trusting_its_node_id_with_a_certificate_the_nodes_pin()
    {
        using var data = new TempDirectory("naeural-compose");
        var nodes = NodeServices();
        var ids = nodes.ToDictionary(n => n.Name, n => NodeKey.FromPrivateKeyHex(n.Options.NodeKey!));
        var cli = EnvironmentOf(Services()["cli"]);
        var certificate = ConfigFile(Services()["cli"], cli["NAEURAL_TLS_CERTIFICATE"]);
        var seed = nodes.Single(n => n.Options.SeedList.Count == 0);

        Assert.Equal($"{seed.Options.AddressScheme}://naeural-edge@{seed.Name}:{seed.Options.EdgePort}", cli["NAEURAL_NODE"]); // its client edge
        var parsed = NaeuralCli.Commands().Parse(["nodes", "--node", cli["NAEURAL_NODE"], "--node-id", cli["NAEURAL_NODE_ID"], "--tls-certificate", certificate]);
        var clientTls = ClientConnection.Tls(parsed)!;
        foreach (var (name, options) in nodes)
        {
            // The client trusts the seed's own bound certificate (its edge answers for the others), and each node trusts the client's.
            var trusted = clientTls.IsTrusted(NodeCertificate.Create(ids[name], DateTimeOffset.UtcNow), null, out var why);
            Assert.True(trusted == (name == seed.Name), $"the cli trusts {name}: {trusted} ({why})");
            options.DataDirectory = data.Sub(name);
            var nodeTls = options.LoadTls(ids[name], options.Admission(ids[name].Address))!;
            Assert.True(nodeTls.IsTrusted(clientTls.Certificate, null, out var reason), $"{name} does not trust the cli's certificate: {reason}");
        }

        Assert.Contains("DEVNET ONLY", File.ReadAllText(certificate));
    }

    /// <summary>
    /// Each node service (built here, its command starting with a flag) and its settings: appsettings.json, then its
    /// environment, then its flags, bound as <see cref="NodeHost"/> binds them.
    /// </summary>
    private static List<(string Name, NodeOptions Options)> NodeServices() =>
    [
        .. Services().Where(s => s.Value.Contains("build: .") && Command(s.Value) is [var first, ..] && first.StartsWith("--")).Select(s =>
            (s.Key, NodeOptions.From(new ConfigurationBuilder()
                .AddJsonFile(RepositoryRoot.File("Naeural.Host", "appsettings.json"))
                .AddInMemoryCollection(EnvironmentOf(s.Value).Select(v => KeyValuePair.Create(v.Key.Replace("__", ":"), (string?)v.Value)))
                .AddCommandLine(Command(s.Value), CommandLineFlags.Mappings)
                .Build()))),
    ];

    /// <summary>
    /// A service's environment: its <c>environment:</c> map (<c>KEY: "value"</c> lines), with <c>&lt;&lt;: *anchor</c> merging a
    /// top-level <c>x-…: &amp;anchor</c> map (the service's own keys win); comments skipped. Anything else there fails: this
    /// reader knows only that.
    /// </summary>
    private static Dictionary<string, string> EnvironmentOf(string service)
    {
        var block = Regex.Match(service, @"^    environment:\s*\n((?:      .*\n?)*)", RegexOptions.Multiline);
        var merged = new Dictionary<string, string>();
        var own = new Dictionary<string, string>();
        foreach (var line in Lines(block.Groups[1].Value))
        {
            if (Regex.Match(line, @"^      <<: \*([a-z0-9-]+)\s*$") is { Success: true } merge)
            {
                foreach (var (key, value) in Anchor(merge.Groups[1].Value))
                {
                    merged[key] = value;
                }
            }
            else
            {
                var (key, value) = Entry(line, "      ");
                own[key] = value;
            }
        }

        foreach (var (key, value) in own)
        {
            merged[key] = value;
        }

        return merged;
    }

    /// <summary>The map of a top-level <c>x-…: &amp;name</c> block.</summary>
    private static IEnumerable<(string Key, string Value)> Anchor(string name)
    {
        var block = Regex.Match(Compose, $@"^x-[a-z0-9-]+: &{Regex.Escape(name)}\s*\n((?:  .*\n?)*)", RegexOptions.Multiline);
        Assert.True(block.Success, $"no top-level anchor &{name}");
        return Lines(block.Groups[1].Value).Select(line => Entry(line, "  "));
    }

    /// <summary>A block's lines, without blank lines and comments.</summary>
    private static IEnumerable<string> Lines(string block) =>
        block.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(line => line.Trim().Length > 0 && !line.TrimStart().StartsWith('#'));

    private static (string Key, string Value) Entry(string line, string indent)
    {
        var entry = Regex.Match(line, $@"^{indent}([A-Za-z0-9_]+): ""([^""]*)""\s*$");
        Assert.True(entry.Success, $"not a KEY: \"value\" line: {line}");
        return (entry.Groups[1].Value, entry.Groups[2].Value);
    }

    /// <summary>The repository file behind the config a service mounts at <paramref name="target"/> (<c>configs: name: file: ./…</c>).</summary>
    private static string ConfigFile(string service, string target)
    {
        var mount = Regex.Match(service, $@"\{{ source: ([a-z0-9-]+), target: {Regex.Escape(target)} \}}");
        Assert.True(mount.Success, $"no config is mounted at {target}");
        var file = Regex.Match(Compose, $@"^  {mount.Groups[1].Value}:\s*\n    file: (\S+)\s*$", RegexOptions.Multiline);
        Assert.True(file.Success, $"config {mount.Groups[1].Value} is not a file of the repository");
        return RepositoryRoot.File(file.Groups[1].Value.Split('/', StringSplitOptions.RemoveEmptyEntries).Where(p => p != ".").ToArray());
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
