using Microsoft.Extensions.Configuration;
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
        Assert.Equal(PersistenceKind.Sqlite, options.Persistence);
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

    [Theory]
    [InlineData("")]
    [InlineData("Naeural-Mainnet")]
    [InlineData("net work")]
    [InlineData("1-starts-with-a-digit")]
    public void A_network_id_that_cannot_name_a_network_is_refused_naming_the_flag(string network)
    {
        Assert.Contains("--network-id", Assert.Throws<ArgumentException>(() => new NodeOptions { NetworkId = network }.Validate()).Message);
    }

    [Fact]
    public void The_network_id_flag_sets_the_setting_and_defaults_to_the_devnet()
    {
        Assert.Equal("naeural-devnet", new NodeOptions().NetworkId);
        Assert.Equal("Naeural:NetworkId", CommandLineFlags.Mappings["--network-id"]);
    }

    [Fact]
    public void Comma_separated_settings_are_split_and_trimmed()
    {
        var options = new NodeOptions { Seeds = "akka.tcp://naeural@a:1, akka.tcp://naeural@b:2", Tags = "gpu, edge ,", };

        Assert.Equal(["akka.tcp://naeural@a:1", "akka.tcp://naeural@b:2"], options.SeedList);
        Assert.Equal(["gpu", "edge"], options.TagList);
    }

    [Fact]
    public void PostgreSQL_without_a_connection_string_is_refused_naming_the_flag()
    {
        var error = Assert.Throws<ArgumentException>(() => new NodeOptions { Persistence = PersistenceKind.PostgreSql }.Validate());

        Assert.Contains("--connection-string", error.Message);
    }

    [Fact]
    public void An_unknown_persistence_is_refused_naming_the_setting_the_flag_and_what_it_may_be()
    {
        var error = Assert.Throws<ArgumentException>(() => Read("--persistence", "mongodb"));

        Assert.Equal("Naeural:Persistence (--persistence) must be sqlite or postgresql, not 'mongodb'", error.Message);
    }

    [Theory]
    [InlineData("--persistence", "1", "Naeural:Persistence (--persistence) must be sqlite or postgresql")] // a number is not a name
    [InlineData("--settlement", "chain", "Naeural:Ledger:Settlement (--settlement) must be embedded or evm")]
    [InlineData("--log-format", "xml", "Naeural:Telemetry:LogFormat (--log-format) must be simple or json")]
    [InlineData("--wire-format", "protobuf", "Naeural:WireFormat (--wire-format) must be contract or v1")]
    [InlineData("--port", "eighty", "Naeural:Port (--port) must be a whole number")]
    [InlineData("--port", "99999999999", "Naeural:Port (--port) must be a whole number")]
    [InlineData("--unreachable-after", "3s", "Naeural:UnreachableAfterSeconds (--unreachable-after) must be a number")]
    [InlineData("--secured", "yes", "Naeural:Secured (--secured) must be true or false")]
    public void A_value_that_cannot_be_its_settings_type_is_refused_at_start_naming_the_setting(string flag, string value, string expected)
    {
        var error = Assert.Throws<ArgumentException>(() => Read(flag, value));

        Assert.StartsWith(expected, error.Message);
        Assert.EndsWith($"not '{value}'", error.Message);
    }

    [Fact]
    public void Typed_settings_read_names_in_any_case_and_durations_of_nested_settings()
    {
        var options = NodeOptions.From(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Naeural:Persistence"] = "PostgreSQL",
            ["Naeural:Ledger:Settlement"] = "EVM",
            ["Naeural:Pipelines:CommandFreshness"] = "00:02:00",
        }).Build());

        Assert.Equal((PersistenceKind.PostgreSql, SettlementKind.Evm, TimeSpan.FromMinutes(2)),
            (options.Persistence, options.Ledger.Settlement, options.Pipelines.CommandFreshness));
        Assert.Contains("Naeural:Pipelines:CommandFreshness must be a duration like 00:05:00, not 'soon'",
            Assert.Throws<ArgumentException>(() => NodeOptions.From(new ConfigurationBuilder().AddInMemoryCollection(
                new Dictionary<string, string?> { ["Naeural:Pipelines:CommandFreshness"] = "soon" }).Build())).Message);
    }

    [Theory]
    [InlineData("--allow", "0x5aaeb6053f3e94c9b9a09f33669435e7ef1beae", "Naeural:AllowedOwners (--allow)")] // a digit short
    [InlineData("--mint-authority", "alice", "Naeural:Ledger:MintAuthorities (--mint-authority)")]
    [InlineData("--admit", "0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaeg", "Naeural:Admit (--admit)")]
    public void An_address_setting_that_is_not_an_address_is_refused_at_start(string flag, string value, string setting)
    {
        var options = Read(flag, value);

        var error = Assert.Throws<ArgumentException>(options.Validate);

        Assert.StartsWith($"{setting} '{value}' is not", error.Message);
    }

    [Fact]
    public void An_empty_value_leaves_an_optional_setting_unset()
    {
        var options = NodeOptions.From(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Naeural:Tls"] = "", ["Naeural:ClientPort"] = "", ["Naeural:Rebalance"] = "",
        }).Build());

        Assert.Equal((null, null, null), (options.Tls, options.ClientPort, options.Rebalance));
    }

    private static NodeOptions Read(params string[] args) =>
        NodeOptions.From(new ConfigurationBuilder().AddCommandLine(args, CommandLineFlags.Mappings).Build());

    [Fact]
    public void PostgreSQL_maps_to_the_npgsql_provider_with_the_tables_left_to_the_schema_step()
    {
        var options = new NodeOptions { Persistence = PersistenceKind.PostgreSql, ConnectionString = "Host=db;Database=naeural;Username=n;Password=p\\\"q" };
        options.Validate();

        var config = PersistenceConfig.For(options);

        Assert.True(PersistenceConfig.IsPostgreSql(options));
        foreach (var plugin in new[] { "akka.persistence.journal.sql", "akka.persistence.snapshot-store.sql" })
        {
            Assert.Equal("PostgreSQL.15", config.GetString($"{plugin}.provider-name"));
            Assert.Equal(options.ConnectionString, config.GetString($"{plugin}.connection-string"));
            Assert.False(config.GetBoolean($"{plugin}.auto-initialize"));
        }
    }

    [Fact]
    public void SQLite_stays_the_default_and_creates_its_own_tables()
    {
        var options = new NodeOptions { DataDirectory = "somewhere" };

        var config = PersistenceConfig.For(options);

        Assert.False(PersistenceConfig.IsPostgreSql(options));
        Assert.Equal("SQLite.MS", config.GetString("akka.persistence.journal.sql.provider-name"));
        Assert.True(config.GetBoolean("akka.persistence.journal.sql.auto-initialize"));
        Assert.Contains(Path.Combine(options.FullDataDirectory, "naeural.db"), config.GetString("akka.persistence.journal.sql.connection-string"));
    }
}
