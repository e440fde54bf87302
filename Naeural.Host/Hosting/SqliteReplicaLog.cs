using Microsoft.Data.Sqlite;
using Naeural.Ledger.Replication;

namespace Naeural.Host.Hosting;

/// <summary>
/// This node's replica of the embedded ledger's journal in its own SQLite file (<c>&lt;data&gt;/ledger-replica.db</c>, apart from
/// the node's journal so neither waits on the other's lock): one row per entry, one head per persistence id; each rule of
/// <see cref="ReplicaLog"/> runs as one transaction.
/// </summary>
public sealed class SqliteReplicaLog : ReplicaLog, IDisposable
{
    private readonly object _gate = new();
    private readonly SqliteConnection _connection;
    private SqliteTransaction? _transaction;

    public SqliteReplicaLog(string path)
    {
        _connection = new SqliteConnection($"Data Source={path};Pooling=False");
        _connection.Open();
        Execute("""
            PRAGMA journal_mode = WAL;
            CREATE TABLE IF NOT EXISTS replica_entries (
              pid TEXT NOT NULL, seq INTEGER NOT NULL, term INTEGER NOT NULL, prev_term INTEGER NOT NULL,
              serializer INTEGER NOT NULL, manifest TEXT NOT NULL, payload BLOB NOT NULL, writer TEXT NOT NULL, signature TEXT NOT NULL,
              PRIMARY KEY (pid, seq));
            CREATE TABLE IF NOT EXISTS replica_heads (
              pid TEXT NOT NULL PRIMARY KEY, promised INTEGER NOT NULL, promised_to TEXT, log_term INTEGER NOT NULL, highest INTEGER NOT NULL);
            """);
    }

    public override ReplicaHead Head(string persistenceId) => Locked(() =>
    {
        using var command = Command("SELECT promised, promised_to, log_term, highest FROM replica_heads WHERE pid = $pid", ("$pid", persistenceId));
        using var reader = command.ExecuteReader();
        return reader.Read()
            ? new ReplicaHead(reader.GetInt64(0), reader.IsDBNull(1) ? null : reader.GetString(1), reader.GetInt64(2), reader.GetInt64(3))
            : new ReplicaHead(0, null, 0, 0);
    });

    public override long TermAt(string persistenceId, long seq) => seq == 0 ? 0 : Locked(() =>
    {
        using var command = Command("SELECT term FROM replica_entries WHERE pid = $pid AND seq = $seq", ("$pid", persistenceId), ("$seq", seq));
        return command.ExecuteScalar() is long term ? term : -1;
    });

    public override IReadOnlyList<ReplicatedEntry> Read(string persistenceId, long fromSeq, long toSeq, int max) => Locked(() =>
    {
        using var command = Command("""
            SELECT seq, term, prev_term, serializer, manifest, payload, writer, signature FROM replica_entries
            WHERE pid = $pid AND seq >= $from AND seq <= $to ORDER BY seq LIMIT $max
            """, ("$pid", persistenceId), ("$from", fromSeq), ("$to", toSeq), ("$max", max));
        using var reader = command.ExecuteReader();
        var entries = new List<ReplicatedEntry>();
        while (reader.Read())
        {
            entries.Add(new ReplicatedEntry(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt32(3), reader.GetString(4),
                (byte[])reader[5], reader.GetString(6), reader.GetString(7)));
        }

        return (IReadOnlyList<ReplicatedEntry>)entries;
    });

    protected override void SetHead(string persistenceId, ReplicaHead head)
    {
        using var command = Command("""
            INSERT INTO replica_heads (pid, promised, promised_to, log_term, highest) VALUES ($pid, $promised, $to, $logTerm, $highest)
            ON CONFLICT (pid) DO UPDATE SET promised = $promised, promised_to = $to, log_term = $logTerm, highest = $highest
            """, ("$pid", persistenceId), ("$promised", head.Promised), ("$to", (object?)head.PromisedTo ?? DBNull.Value),
            ("$logTerm", head.LogTerm), ("$highest", head.HighestSeq));
        command.ExecuteNonQuery();
    }

    protected override void TruncateFrom(string persistenceId, long fromSeq)
    {
        using var command = Command("DELETE FROM replica_entries WHERE pid = $pid AND seq >= $from", ("$pid", persistenceId), ("$from", fromSeq));
        command.ExecuteNonQuery();
    }

    protected override void Insert(string persistenceId, ReplicatedEntry e)
    {
        using var command = Command("""
            INSERT OR REPLACE INTO replica_entries (pid, seq, term, prev_term, serializer, manifest, payload, writer, signature)
            VALUES ($pid, $seq, $term, $prev, $serializer, $manifest, $payload, $writer, $signature)
            """, ("$pid", persistenceId), ("$seq", e.Seq), ("$term", e.Term), ("$prev", e.PrevTerm), ("$serializer", e.SerializerId),
            ("$manifest", e.Manifest ?? ""), ("$payload", e.Payload), ("$writer", e.Writer ?? ""), ("$signature", e.Signature ?? ""));
        command.ExecuteNonQuery();
    }

    protected override T Atomically<T>(Func<T> body)
    {
        lock (_gate)
        {
            _transaction = _connection.BeginTransaction();
            try
            {
                var result = body();
                _transaction.Commit();
                return result;
            }
            catch
            {
                _transaction.Rollback();
                throw;
            }
            finally
            {
                _transaction.Dispose();
                _transaction = null;
            }
        }
    }

    private T Locked<T>(Func<T> body)
    {
        lock (_gate)
        {
            return body();
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _transaction?.Dispose();
            _connection.Dispose();
        }
    }

    private void Execute(string sql)
    {
        using var command = Command(sql);
        command.ExecuteNonQuery();
    }

    private SqliteCommand Command(string sql, params (string Name, object Value)[] parameters)
    {
        var command = _connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = _transaction;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return command;
    }
}
