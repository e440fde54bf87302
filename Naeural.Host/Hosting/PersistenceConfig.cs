using Akka.Configuration;
using Akka.Persistence.Sql;

namespace Naeural.Host.Hosting;

/// <summary>The journal and snapshot store (Akka.Persistence.Sql): SQLite in the data folder by default, PostgreSQL by choice.</summary>
public static class PersistenceConfig
{
    public static Config For(NodeOptions options)
    {
        var (provider, connection) = options.Persistence.ToLowerInvariant() switch
        {
            "sqlite" => ("SQLite.MS", options.ConnectionString
                ?? $"Data Source={Path.Combine(options.FullDataDirectory, "naeural.db")};Cache=Shared;Pooling=True"),
            "postgresql" or "postgres" => ("PostgreSQL.15", options.ConnectionString
                ?? throw new InvalidOperationException("--persistence postgresql needs --connection-string")),
            var other => throw new InvalidOperationException($"Unknown persistence '{other}': use sqlite or postgresql"),
        };

        // SQLite takes one writer at a time: one journal writer avoids 'database is locked'.
        var parallelism = provider.StartsWith("SQLite", StringComparison.Ordinal) ? 1 : 3;
        var quoted = connection.Replace("\\", "\\\\").Replace("\"", "\\\"");
        return ConfigurationFactory.ParseString($$"""
            akka.persistence {
              journal {
                plugin = "akka.persistence.journal.sql"
                sql {
                  connection-string = "{{quoted}}"
                  provider-name = "{{provider}}"
                  auto-initialize = true
                  parallelism = {{parallelism}}
                }
              }
              snapshot-store {
                plugin = "akka.persistence.snapshot-store.sql"
                sql {
                  connection-string = "{{quoted}}"
                  provider-name = "{{provider}}"
                  auto-initialize = true
                }
              }
            }
            """).WithFallback(SqlPersistence.DefaultConfiguration);
    }
}
