using Akka.Configuration;
using Akka.Persistence.Sql;
using Naeural.Ledger.Replication;

namespace Naeural.Host.Hosting;

/// <summary>
/// The journal and snapshot store (Akka.Persistence.Sql): SQLite in the data folder by default, PostgreSQL by choice
/// (<c>--persistence postgresql --connection-string "Host=…;Database=…;Username=…;Password=…"</c>, an Npgsql connection
/// string). Nodes that should take over each other's pipelines share one PostgreSQL database.
/// </summary>
public static class PersistenceConfig
{
    /// <summary>linq2db's provider for PostgreSQL 15 and later, through Npgsql.</summary>
    public const string PostgreSqlProvider = "PostgreSQL.15";

    public const string SqliteProvider = "SQLite.MS";

    public static bool IsPostgreSql(NodeOptions options) => Provider(options) == PostgreSqlProvider;

    /// <summary>
    /// Whether the embedded ledger's journal is replicated between the members (<see cref="LedgerReplication"/>): where each
    /// node has its own store (SQLite), so the ledger singleton finds its history on whichever member it moves to. A shared
    /// PostgreSQL database is already one history for all.
    /// </summary>
    public static bool ReplicatesLedger(NodeOptions options) => !IsPostgreSql(options);

    public static Config For(NodeOptions options)
    {
        var provider = Provider(options);
        var connection = provider switch
        {
            PostgreSqlProvider => string.IsNullOrWhiteSpace(options.ConnectionString)
                ? throw new InvalidOperationException(
                    "--persistence postgresql needs --connection-string (or Naeural:ConnectionString / NAEURAL__CONNECTIONSTRING)")
                : options.ConnectionString,
            _ => options.ConnectionString
                 ?? $"Data Source={Path.Combine(options.FullDataDirectory, "naeural.db")};Cache=Shared;Pooling=True",
        };

        // SQLite takes one writer at a time: one journal writer avoids 'database is locked'.
        var parallelism = provider == SqliteProvider ? 1 : 3;

        // A shared PostgreSQL database gets its tables from PersistenceSchema, one node at a time, before the actor system
        // starts; the plugins' own auto-initialize would race between nodes starting together.
        var autoInitialize = provider == SqliteProvider ? "true" : "false";
        var quoted = connection.Replace("\\", "\\\\").Replace("\"", "\\\"");
        return ConfigurationFactory.ParseString($$"""
            akka.persistence {
              journal {
                plugin = "akka.persistence.journal.sql"
                sql {
                  connection-string = "{{quoted}}"
                  provider-name = "{{provider}}"
                  auto-initialize = {{autoInitialize}}
                  parallelism = {{parallelism}}
                }
              }
              snapshot-store {
                plugin = "akka.persistence.snapshot-store.sql"
                sql {
                  connection-string = "{{quoted}}"
                  provider-name = "{{provider}}"
                  auto-initialize = {{autoInitialize}}
                }
              }
            }
            {{(provider == SqliteProvider ? LedgerReplication.Hocon : "")}}
            """).WithFallback(SqlPersistence.DefaultConfiguration);
    }

    private static string Provider(NodeOptions options) => options.Persistence switch
    {
        PersistenceKind.Sqlite => SqliteProvider,
        PersistenceKind.PostgreSql => PostgreSqlProvider,
        var other => throw new ArgumentException($"Naeural:Persistence (--persistence) must be sqlite or postgresql, not '{other}'"),
    };
}
