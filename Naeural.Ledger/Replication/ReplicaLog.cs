using Naeural.Actors.Security;

namespace Naeural.Ledger.Replication;

/// <summary>What a replica's log holds for one persistence id: the term it follows, the term that last vouched for its log, its last entry.</summary>
public sealed record ReplicaHead(long Promised, string? PromisedTo, long LogTerm, long HighestSeq);

/// <summary>What became of an append.</summary>
public abstract record AppendOutcome
{
    public sealed record Appended(long HighestSeq) : AppendOutcome;

    public sealed record Behind(long HighestSeq, long TermAtHighest) : AppendOutcome;

    public sealed record Refused(long Promised) : AppendOutcome;
}

/// <summary>
/// A node's copy of the embedded ledger's replicated journal, and the rules it keeps (as in Raft, with the writer's term in
/// place of an election): a replica follows one writer per term, the highest it was asked for; it appends only after an entry
/// it holds with the term the writer says (so two logs that hold the same place with the same term agree up to it); an entry
/// that conflicts replaces the rest of the log; a newer term's writer cuts what lies beyond its own log. Stores implement the
/// primitive reads and writes, each call to <see cref="Atomically{T}"/> being one transaction.
/// </summary>
public abstract class ReplicaLog
{
    public abstract ReplicaHead Head(string persistenceId);

    /// <summary>The term of the entry at <paramref name="seq"/>: 0 for 0, -1 when there is none.</summary>
    public abstract long TermAt(string persistenceId, long seq);

    public abstract IReadOnlyList<ReplicatedEntry> Read(string persistenceId, long fromSeq, long toSeq, int max);

    protected abstract void SetHead(string persistenceId, ReplicaHead head);

    /// <summary>Removes every entry from <paramref name="fromSeq"/> on.</summary>
    protected abstract void TruncateFrom(string persistenceId, long fromSeq);

    protected abstract void Insert(string persistenceId, ReplicatedEntry entry);

    /// <summary>Runs <paramref name="body"/> alone and as one transaction.</summary>
    protected abstract T Atomically<T>(Func<T> body);

    /// <summary>Follows <paramref name="writer"/> from <paramref name="term"/> on, unless a newer term (or the same, another writer's) is promised.</summary>
    public ReplicaHead? Promise(string persistenceId, long term, string writer) => Atomically(() =>
    {
        var head = Head(persistenceId);
        if (term < head.Promised || (term == head.Promised && !AccountAddress.Same(head.PromisedTo, writer)))
        {
            return null;
        }

        var promised = head with { Promised = term, PromisedTo = writer };
        SetHead(persistenceId, promised);
        return promised;
    });

    /// <summary>Appends a writer's entries after <paramref name="prevSeq"/> (see the class's rules).</summary>
    public AppendOutcome Append(string persistenceId, long term, string writer, long prevSeq, long prevTerm, long logEnd,
        IReadOnlyList<ReplicatedEntry> entries) => Atomically<AppendOutcome>(() =>
    {
        var head = Head(persistenceId);
        if (term < head.Promised || (term == head.Promised && head.PromisedTo is { } to && !AccountAddress.Same(to, writer)))
        {
            return new AppendOutcome.Refused(head.Promised);
        }

        if (prevSeq > head.HighestSeq || TermAt(persistenceId, prevSeq) != prevTerm
            || entries.Select((e, i) => e.Seq != prevSeq + 1 + i).Any(wrong => wrong))
        {
            SetHead(persistenceId, head with { Promised = term, PromisedTo = writer });
            return new AppendOutcome.Behind(head.HighestSeq, TermAt(persistenceId, head.HighestSeq));
        }

        var highest = head.HighestSeq;
        foreach (var entry in entries)
        {
            var existing = TermAt(persistenceId, entry.Seq);
            if (existing == entry.Term)
            {
                continue;
            }

            if (existing >= 0)
            {
                TruncateFrom(persistenceId, entry.Seq); // a conflicting entry was never committed: it and all after it go
                highest = entry.Seq - 1;
            }

            Insert(persistenceId, entry);
            highest = Math.Max(highest, entry.Seq);
        }

        if (term > head.LogTerm && highest > logEnd)
        {
            TruncateFrom(persistenceId, logEnd + 1); // beyond a newer writer's log lies only what was never committed
            highest = logEnd;
        }

        SetHead(persistenceId, new ReplicaHead(term, writer, Math.Max(term, head.LogTerm), highest));
        return new AppendOutcome.Appended(highest);
    });
}

/// <summary>A replica log in memory (tests).</summary>
public sealed class InMemoryReplicaLog : ReplicaLog
{
    private readonly object _gate = new();
    private readonly Dictionary<string, ReplicaHead> _heads = [];
    private readonly Dictionary<string, SortedList<long, ReplicatedEntry>> _entries = [];

    public override ReplicaHead Head(string persistenceId) => _heads.GetValueOrDefault(persistenceId) ?? new ReplicaHead(0, null, 0, 0);

    public override long TermAt(string persistenceId, long seq) =>
        seq == 0 ? 0 : Log(persistenceId).TryGetValue(seq, out var e) ? e.Term : -1;

    public override IReadOnlyList<ReplicatedEntry> Read(string persistenceId, long fromSeq, long toSeq, int max)
    {
        lock (_gate)
        {
            return [.. Log(persistenceId).Values.Where(e => e.Seq >= fromSeq && e.Seq <= toSeq).Take(max)];
        }
    }

    protected override void SetHead(string persistenceId, ReplicaHead head) => _heads[persistenceId] = head;

    protected override void TruncateFrom(string persistenceId, long fromSeq)
    {
        var log = Log(persistenceId);
        foreach (var seq in log.Keys.Where(s => s >= fromSeq).ToList())
        {
            log.Remove(seq);
        }
    }

    protected override void Insert(string persistenceId, ReplicatedEntry entry) => Log(persistenceId)[entry.Seq] = entry;

    protected override T Atomically<T>(Func<T> body)
    {
        lock (_gate)
        {
            return body();
        }
    }

    private SortedList<long, ReplicatedEntry> Log(string persistenceId) =>
        _entries.TryGetValue(persistenceId, out var log) ? log : _entries[persistenceId] = [];
}
