using Akka.Persistence.Sql;
using Akka.Persistence.Sql.Config;
using Akka.Persistence.Sql.Db;
using Akka.Persistence.Sql.Journal.Types;
using Akka.Persistence.Sql.Snapshot;
using LinqToDB;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using AkkaConfig = Akka.Configuration.Config;

namespace Naeural.Host.Hosting;

/// <summary>
/// Creates the journal, tag and snapshot tables of a shared PostgreSQL database before the actor system starts, once per
/// database and one node at a time. Several nodes share one database (that is what lets a pipeline move to a survivor),
/// and PostgreSQL's <c>CREATE TABLE IF NOT EXISTS</c> is not safe against itself: two nodes creating the same table at the
/// same moment can fail with a unique violation in the catalogue, after which Akka.Persistence.Sql's journal stops for
/// good. So for PostgreSQL the plugins' own auto-initialize is off (<see cref="PersistenceConfig"/>) and this step runs the
/// same statements (Akka.Persistence.Sql's table mappings and index footers) under a session advisory lock.
/// Registered before the actor system's hosted service, so the node's journal is ready before its first persistent actor.
/// SQLite needs none of this: one node owns its file, and the plugins create its tables.
/// </summary>
public sealed class PersistenceSchema(NodeOptions options, ILogger<PersistenceSchema> log) : IHostedService
{
    /// <summary>How long a starting node waits for its database to accept connections (it may be starting too).</summary>
    public static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(60);

    /// <summary>The advisory lock every node takes while it creates tables ("naeural" in ASCII); it is per database.</summary>
    private const long SchemaLockKey = 0x6E_61_65_75_72_61_6C;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!PersistenceConfig.IsPostgreSql(options))
        {
            return;
        }

        var config = PersistenceConfig.For(options);
        var deadline = DateTime.UtcNow + ConnectTimeout;
        while (true)
        {
            try
            {
                await EnsurePostgreSqlTablesAsync(config, log, cancellationToken);
                return;
            }
            catch (NpgsqlException e) when (e.IsTransient && DateTime.UtcNow < deadline)
            {
                log.LogWarning("PostgreSQL is not reachable yet ({Reason}); retrying", e.Message);
                await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
            }
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// Creates the tables that <paramref name="persistence"/> (the node's persistence HOCON) names, unless a finished schema
    /// is there already. Safe to call from any number of nodes at once.
    /// </summary>
    public static async Task EnsurePostgreSqlTablesAsync(AkkaConfig persistence, ILogger log, CancellationToken cancellationToken)
    {
        var journal = new JournalConfig(
            persistence.GetConfig("akka.persistence.journal.sql").WithFallback(SqlPersistence.DefaultJournalConfiguration));
        var snapshots = new SnapshotConfig(
            persistence.GetConfig("akka.persistence.snapshot-store.sql").WithFallback(SqlPersistence.DefaultSnapshotConfiguration));

        await using var session = new NpgsqlConnection(journal.ConnectionString);
        await session.OpenAsync(cancellationToken);
        await using var transaction = await session.BeginTransactionAsync(cancellationToken);

        // Held until the transaction ends (commit, rollback or a dropped connection), whatever happens below.
        await using (var takeLock = new NpgsqlCommand($"SELECT pg_advisory_xact_lock({SchemaLockKey})", session, transaction))
        {
            await takeLock.ExecuteNonQueryAsync(cancellationToken);
        }

        // The snapshot table is created last: when it is there, an earlier node finished the whole schema.
        await using (var exists = new NpgsqlCommand("SELECT to_regclass(@table) IS NOT NULL", session, transaction))
        {
            exists.Parameters.AddWithValue("table", Qualified(snapshots.TableConfig.SchemaName, snapshots.TableConfig.SnapshotTable.Name));
            if ((bool)(await exists.ExecuteScalarAsync(cancellationToken))!)
            {
                return;
            }
        }

        log.LogInformation("Creating the journal and snapshot tables in PostgreSQL database {Database}", session.Database);
        await using (var connection = new AkkaPersistenceDataConnectionFactory(journal).GetConnection())
        {
            await connection.CreateTableAsync<JournalRow>(TableOptions.CreateIfNotExists, journal.GenerateJournalFooter(), cancellationToken);
            if (journal.PluginConfig.TagMode is not TagMode.Csv)
            {
                await connection.CreateTableAsync<JournalTagRow>(TableOptions.CreateIfNotExists, journal.GenerateTagFooter(), cancellationToken);
            }

            if (journal.DaoConfig.SqlCommonCompatibilityMode)
            {
                await connection.CreateTableAsync<JournalMetaData>(TableOptions.CreateIfNotExists, null, cancellationToken);
            }
        }

        await using (var connection = new AkkaPersistenceDataConnectionFactory(snapshots).GetConnection())
        {
            await connection.CreateTableAsync<LongSnapshotRow>(TableOptions.CreateIfNotExists, snapshots.GenerateSnapshotFooter(), cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    private static string Qualified(string? schema, string table) =>
        string.IsNullOrEmpty(schema) ? $"\"{table}\"" : $"\"{schema}\".\"{table}\"";
}
