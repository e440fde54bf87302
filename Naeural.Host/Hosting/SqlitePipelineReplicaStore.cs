using System.Collections.Immutable;
using Microsoft.Data.Sqlite;
using Naeural.Actors.Commands;
using Naeural.Actors.Payloads;
using Naeural.Actors.Replication;

namespace Naeural.Host.Hosting;

/// <summary>
/// This member's share of other members' pipelines in its own SQLite file (<c>&lt;data&gt;/pipeline-replica.db</c>, apart from the
/// journal): owner-signed history rows (one per version and per nonce), unacknowledged payload rows (never overwritten), and
/// one head per pipeline (acknowledged floor, highest number). Every call is one transaction under one lock.
/// </summary>
public sealed class SqlitePipelineReplicaStore : ReplicaStore, IDisposable
{
    private readonly object _gate = new();
    private readonly SqliteConnection _connection;

    public SqlitePipelineReplicaStore(string path)
    {
        _connection = new SqliteConnection($"Data Source={path};Pooling=False");
        _connection.Open();
        Run("""
            PRAGMA journal_mode = WAL;
            PRAGMA synchronous = NORMAL;
            CREATE TABLE IF NOT EXISTS history (
              pipeline TEXT NOT NULL, version INTEGER NOT NULL, nonce TEXT NOT NULL, command TEXT NOT NULL,
              PRIMARY KEY (pipeline, version), UNIQUE (pipeline, nonce));
            CREATE TABLE IF NOT EXISTS payloads (
              pipeline TEXT NOT NULL, seq INTEGER NOT NULL, signed TEXT NOT NULL, PRIMARY KEY (pipeline, seq));
            CREATE TABLE IF NOT EXISTS heads (
              pipeline TEXT NOT NULL PRIMARY KEY, acknowledged INTEGER NOT NULL, last INTEGER NOT NULL);
            """);
    }

    public override int AddHistory(string pipelineId, IReadOnlyList<HistoryEntry> entries, Func<HistoryEntry, string> nonceOf) => Transaction(() =>
    {
        foreach (var entry in entries)
        {
            Run("INSERT OR IGNORE INTO history (pipeline, version, nonce, command) VALUES ($p, $v, $n, $c)",
                ("$p", pipelineId), ("$v", entry.Version), ("$n", nonceOf(entry)), ("$c", entry.Command.Json));
        }

        return Convert.ToInt32(Scalar("SELECT COUNT(*) FROM history WHERE pipeline = $p", ("$p", pipelineId)));
    });

    public override ImmutableArray<HistoryEntry> History(string pipelineId) => Transaction(() =>
    {
        using var command = Command("SELECT version, command FROM history WHERE pipeline = $p ORDER BY version", ("$p", pipelineId));
        using var reader = command.ExecuteReader();
        var entries = ImmutableArray.CreateBuilder<HistoryEntry>();
        while (reader.Read())
        {
            entries.Add(new HistoryEntry(reader.GetInt64(0), new SignedCommand(reader.GetString(1))));
        }

        return entries.ToImmutable();
    });

    public override long AddPayloads(string pipelineId, long acknowledgedUpTo, IReadOnlyList<PayloadDelivered> payloads) => Transaction(() =>
    {
        var (acknowledged, last) = HeadOf(pipelineId);
        acknowledged = Math.Max(acknowledged, acknowledgedUpTo);
        foreach (var payload in payloads)
        {
            last = Math.Max(last, payload.Sequence);
            if (payload.Sequence > acknowledged)
            {
                Run("INSERT OR IGNORE INTO payloads (pipeline, seq, signed) VALUES ($p, $s, $j)", ("$p", pipelineId), ("$s", payload.Sequence), ("$j", payload.SignedJson));
            }
        }

        Run("DELETE FROM payloads WHERE pipeline = $p AND seq <= $a", ("$p", pipelineId), ("$a", acknowledged));
        Run("""
            INSERT INTO heads (pipeline, acknowledged, last) VALUES ($p, $a, $l)
            ON CONFLICT (pipeline) DO UPDATE SET acknowledged = $a, last = $l
            """, ("$p", pipelineId), ("$a", acknowledged), ("$l", last));
        return last;
    });

    public override (ImmutableArray<PayloadDelivered> Payloads, long Acknowledged, long Last) Payloads(string pipelineId) => Transaction(() =>
    {
        var (acknowledged, last) = HeadOf(pipelineId);
        using var command = Command("SELECT seq, signed FROM payloads WHERE pipeline = $p ORDER BY seq", ("$p", pipelineId));
        using var reader = command.ExecuteReader();
        var payloads = ImmutableArray.CreateBuilder<PayloadDelivered>();
        while (reader.Read())
        {
            payloads.Add(new PayloadDelivered(pipelineId, reader.GetInt64(0), reader.GetString(1)));
        }

        return (payloads.ToImmutable(), acknowledged, last);
    });

    public override (ImmutableArray<PayloadDelivered> Payloads, bool More) Page(string pipelineId, long after, int maxBytes) => Transaction(() =>
    {
        using var command = Command("SELECT seq, signed FROM payloads WHERE pipeline = $p AND seq > $a ORDER BY seq", ("$p", pipelineId), ("$a", after));
        using var reader = command.ExecuteReader();
        var page = ImmutableArray.CreateBuilder<PayloadDelivered>();
        var bytes = 0L;
        while (reader.Read())
        {
            var signed = reader.GetString(1);
            if (page.Count > 0 && bytes + signed.Length > maxBytes)
            {
                return (page.ToImmutable(), true);
            }

            page.Add(new PayloadDelivered(pipelineId, reader.GetInt64(0), signed));
            bytes += signed.Length;
        }

        return (page.ToImmutable(), false);
    });

    public override (long Acknowledged, long Last) Head(string pipelineId) => Transaction(() => HeadOf(pipelineId));

    public override IReadOnlyList<string> Pipelines() => Transaction(() =>
    {
        using var command = Command("SELECT DISTINCT pipeline FROM history UNION SELECT pipeline FROM heads");
        using var reader = command.ExecuteReader();
        var pipelines = new List<string>();
        while (reader.Read())
        {
            pipelines.Add(reader.GetString(0));
        }

        return (IReadOnlyList<string>)pipelines;
    });

    public override void Drop(string pipelineId) => Transaction(() =>
    {
        foreach (var table in new[] { "history", "payloads", "heads" })
        {
            Run($"DELETE FROM {table} WHERE pipeline = $p", ("$p", pipelineId));
        }

        return 0;
    });

    public void Dispose()
    {
        lock (_gate)
        {
            _connection.Dispose();
        }
    }

    private (long Acknowledged, long Last) HeadOf(string pipelineId)
    {
        using var command = Command("SELECT acknowledged, last FROM heads WHERE pipeline = $p", ("$p", pipelineId));
        using var reader = command.ExecuteReader();
        return reader.Read() ? (reader.GetInt64(0), reader.GetInt64(1)) : (0, 0);
    }

    private T Transaction<T>(Func<T> body)
    {
        lock (_gate)
        {
            using var transaction = _connection.BeginTransaction();
            _current = transaction;
            try
            {
                var result = body();
                transaction.Commit();
                return result;
            }
            finally
            {
                _current = null;
            }
        }
    }

    private SqliteTransaction? _current;

    private SqliteCommand Command(string sql, params (string Name, object Value)[] parameters)
    {
        var command = _connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = _current;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return command;
    }

    private void Run(string sql, params (string Name, object Value)[] parameters)
    {
        using var command = Command(sql, parameters);
        command.ExecuteNonQuery();
    }

    private object? Scalar(string sql, params (string Name, object Value)[] parameters)
    {
        using var command = Command(sql, parameters);
        return command.ExecuteScalar();
    }
}
