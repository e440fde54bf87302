using System.Collections.Concurrent;
using System.Collections.Immutable;
using Akka.Actor;
using Akka.Cluster;
using Akka.Event;
using Akka.Persistence;
using Akka.Persistence.Journal;
using Naeural.Ledger.Channels;

namespace Naeural.Ledger.Replication;

/// <summary>
/// The embedded ledger's journal where each node has its own store: the ledger's host (the singleton, on the oldest member)
/// writes every event to its own <see cref="LedgerReplica"/> log and to the other Up members' replicas, and a write completes
/// only once a majority of the Up members (itself counted) holds it; otherwise it fails and the ledger refuses the request.
/// A new host first asks a majority to follow its new term (so an older host's writes are refused from then on), adopts
/// the most advanced log among them (newest term that vouched for it, then longest: every committed write is on a member of
/// any majority), checks every entry's signature, brings a majority up to that log, and replays it. Its users are singletons
/// on the oldest member: the embedded ledger's persistent actors, and the pipeline shard coordinator, whose shard homes a
/// new coordinator must find wherever it starts (<see cref="LedgerReplication.JournalPluginId"/>); the pipeline shards'
/// remembered entities go through it too but stay local (<see cref="LedgerReplicationSettings.Replicates"/>). Shared
/// PostgreSQL needs none of it.
/// </summary>
public sealed class ReplicatedJournal : AsyncWriteJournal
{
    private readonly ActorSystem _system = Context.System;
    private readonly Cluster _cluster = Cluster.Get(Context.System);
    private readonly Akka.Serialization.Serialization _serialization = Context.System.Serialization;
    private readonly ConcurrentDictionary<string, long> _terms = new();

    private LedgerReplicationSettings Settings => LedgerReplication.Get(_system).Settings;

    private string Me => Settings.Writer.Address;

    public override Task ReplayMessagesAsync(IActorContext context, string persistenceId, long fromSequenceNr, long toSequenceNr, long max,
        Action<IPersistentRepresentation> recoveryCallback)
    {
        var log = Settings.Log;
        var next = fromSequenceNr;
        for (long count = 0; count < max;)
        {
            var chunk = log.Read(persistenceId, next, toSequenceNr, (int)Math.Min(Settings.ChunkSize, max - count));
            if (chunk.Count == 0)
            {
                break;
            }

            foreach (var e in chunk)
            {
                var payload = _serialization.Deserialize(e.Payload, e.SerializerId, e.Manifest);
                recoveryCallback(new Persistent(payload, e.Seq, persistenceId, "", false, ActorRefs.NoSender, e.Writer));
                count++;
                next = e.Seq + 1;
            }
        }

        return Task.CompletedTask;
    }

    /// <summary>Called at the start of every recovery: this node becomes the writer of a new term for <paramref name="persistenceId"/>.</summary>
    public override async Task<long> ReadHighestSequenceNrAsync(string persistenceId, long fromSequenceNr, CancellationToken cancellationToken = default)
    {
        var settings = Settings;
        var log = settings.Log;
        var deadline = DateTimeOffset.UtcNow + settings.RecoveryTimeout;
        var term = Math.Max(log.Head(persistenceId).Promised, log.Head(persistenceId).LogTerm) + 1;
        while (true)
        {
            if (DateTimeOffset.UtcNow > deadline)
            {
                throw new LedgerNotReplicatedException(
                    $"the ledger's new host could not gather a majority of the members' logs within {settings.RecoveryTimeout.TotalSeconds:0} s");
            }

            if (log.Promise(persistenceId, term, Me) is null)
            {
                term = log.Head(persistenceId).Promised + 1;
                continue;
            }

            var (others, need) = Quorum(persistenceId);
            var prepare = settings.Signing.SignPrepare(persistenceId, term, settings.Writer);
            var answers = await Task.WhenAll(others.Select(a => AskAsync(a, prepare)));
            var promised = answers.Zip(others)
                .Select(x => (Promise: x.First as ReplicaPromised, Address: x.Second))
                .Where(x => x.Promise is { } p && p.Term == term)
                .Select(x => (Promise: x.Promise!, x.Address)).ToList();
            if (promised.Count + 1 < need)
            {
                // Too few follow this term: try a newer one than any refusal names (a refusal is unsigned: one stranger's
                // word alone never stops a round that a majority promised, and a term beyond the range is not taken).
                var newer = answers.OfType<ReplicaRefused>().Select(r => r.Promised).Where(p => p >= term && p < LedgerReplica.MaxTerm)
                    .DefaultIfEmpty(term).Max();
                term = newer + 1;
                await Task.Delay(300, cancellationToken);
                continue;
            }

            // The most advanced log among the majority, by what each replica claims; a claim its replica cannot back with
            // entries that hold (each signed by the writer it names, in place) is a lie, and the next claim is read instead.
            var local = log.Head(persistenceId);
            var adopted = false;
            foreach (var (b, at) in promised
                         .Where(p => (p.Promise.LogTerm, p.Promise.HighestSeq).CompareTo((local.LogTerm, local.HighestSeq)) > 0)
                         .OrderByDescending(p => p.Promise.LogTerm).ThenByDescending(p => p.Promise.HighestSeq))
            {
                if (await AdoptAsync(persistenceId, term, at, b.HighestSeq, deadline))
                {
                    adopted = true;
                    break;
                }
            }

            if (!adopted && log.Append(persistenceId, term, Me, local.HighestSeq, log.TermAt(persistenceId, local.HighestSeq), local.HighestSeq, [])
                is not AppendOutcome.Appended)
            {
                continue; // a newer term was promised meanwhile
            }

            _terms[persistenceId] = term;
            await ReplicateAsync(persistenceId, term, deadline, log.Head(persistenceId).HighestSeq);
            return log.Head(persistenceId).HighestSeq;
        }
    }

    protected override async Task<IImmutableList<Exception>?> WriteMessagesAsync(IEnumerable<AtomicWrite> messages, CancellationToken cancellationToken)
    {
        var settings = Settings;
        var log = settings.Log;
        foreach (var write in messages)
        {
            var persistenceId = write.PersistenceId;
            if (!_terms.TryGetValue(persistenceId, out var term))
            {
                throw new LedgerNotReplicatedException($"{persistenceId} was not recovered through the replicated journal on this node");
            }

            var events = (IImmutableList<IPersistentRepresentation>)write.Payload;
            var prevSeq = events[0].SequenceNr - 1;
            var prevTerm = log.TermAt(persistenceId, prevSeq);
            var entries = events.Select(e =>
            {
                var serializer = _serialization.FindSerializerFor(e.Payload);
                var entry = new ReplicatedEntry(e.SequenceNr, term, e.SequenceNr == events[0].SequenceNr ? prevTerm : term, serializer.Identifier,
                    Akka.Serialization.Serialization.ManifestFor(serializer, e.Payload), serializer.ToBinary(e.Payload), "", "");
                return settings.Signing.SignEntry(persistenceId, entry, settings.Writer);
            }).ToList();
            if (log.Append(persistenceId, term, Me, prevSeq, prevTerm, entries[^1].Seq, entries) is not AppendOutcome.Appended)
            {
                throw new LedgerNotReplicatedException("another node has taken over the ledger (a newer term is followed here)");
            }

            await ReplicateAsync(persistenceId, term, DateTimeOffset.UtcNow + settings.WriteTimeout, prevSeq);
        }

        return null;
    }

    /// <summary>The ledger keeps its whole journal; nothing is deleted.</summary>
    protected override Task DeleteMessagesToAsync(string persistenceId, long toSequenceNr, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// Reads a replica's log (every entry signed by the writer it names, in one chain of terms) and makes it this node's;
    /// false when that replica's log does not hold (it gave no entries for what it claimed, or entries out of place or badly
    /// signed). A replica that does not answer in time fails the recovery (retried later): its log may be the only one with
    /// a committed entry.
    /// </summary>
    private async Task<bool> AdoptAsync(string persistenceId, long term, Address from, long highest, DateTimeOffset deadline)
    {
        var settings = Settings;
        var entries = new List<ReplicatedEntry>();
        while (entries.Count < highest)
        {
            if (DateTimeOffset.UtcNow > deadline)
            {
                throw new LedgerNotReplicatedException($"the replica at {from} did not give its log (up to {highest}) in time");
            }

            var next = entries.Count + 1;
            var answer = await AskAsync(from, new ReplicaRead(persistenceId, next, settings.ChunkSize));
            if (answer is not ReplicaEntries read)
            {
                throw new LedgerNotReplicatedException($"the replica at {from} did not answer for its log (up to {highest})");
            }

            if (read.Entries.IsDefaultOrEmpty)
            {
                _system.Log.Warning("The replica at {Replica} claimed {Claimed} entries of {PersistenceId} and gave {Given}: passed over", from, highest, persistenceId, entries.Count);
                return false;
            }

            foreach (var e in read.Entries.Take((int)(highest - entries.Count)))
            {
                var prevTerm = entries.Count == 0 ? 0 : entries[^1].Term;
                if (e.Seq != entries.Count + 1 || e.PrevTerm != prevTerm || e.Term > term || settings.Signing.Problem(persistenceId, e) is not null)
                {
                    _system.Log.Warning("The replica at {Replica} gave entry {Seq} of {PersistenceId} that does not hold (out of place or badly signed): passed over", from, e.Seq, persistenceId);
                    return false;
                }

                entries.Add(e);
            }
        }

        if (settings.Log.Append(persistenceId, term, Me, 0, 0, highest, entries) is not AppendOutcome.Appended)
        {
            throw new LedgerNotReplicatedException("another node has taken over the ledger while this one recovered");
        }

        return true;
    }

    /// <summary>Brings a majority of the Up members (this node counted) to this node's log, or throws.</summary>
    private async Task ReplicateAsync(string persistenceId, long term, DateTimeOffset deadline, long after)
    {
        var (others, need) = Quorum(persistenceId);
        if (need <= 1)
        {
            return;
        }

        var confirmed = 1;
        var majority = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var syncs = others.Select(async address =>
        {
            if (await SyncAsync(persistenceId, term, address, deadline, after) && Interlocked.Increment(ref confirmed) >= need)
            {
                majority.TrySetResult();
            }
        }).ToList();
        await Task.WhenAny(majority.Task, Task.WhenAll(syncs));
        if (!majority.Task.IsCompleted)
        {
            throw new LedgerNotReplicatedException(
                $"only {confirmed} of the {others.Count + 1} members confirmed it within {(deadline - DateTimeOffset.UtcNow).TotalSeconds:0.#} s, {need} are a majority");
        }
    }

    /// <summary>
    /// Sends one replica this node's log after <paramref name="after"/>, and what it lacks before (from its last matching
    /// entry on) if it says it is behind, until it holds all of it.
    /// </summary>
    private async Task<bool> SyncAsync(string persistenceId, long term, Address address, DateTimeOffset deadline, long after)
    {
        var settings = Settings;
        var log = settings.Log;
        var end = log.Head(persistenceId).HighestSeq;
        var prevSeq = after;
        while (DateTimeOffset.UtcNow < deadline)
        {
            var entries = log.Read(persistenceId, prevSeq + 1, end, settings.ChunkSize);
            var append = settings.Signing.SignAppend(new ReplicaAppend(persistenceId, term, prevSeq, log.TermAt(persistenceId, prevSeq), end,
                [.. entries], "", ""), settings.Writer);
            switch (await AskAsync(address, append))
            {
                case ReplicaAppended when prevSeq + entries.Count >= end:
                    return true;
                case ReplicaAppended:
                    prevSeq += entries.Count;
                    break;
                case ReplicaBehind b:
                    prevSeq = b.HighestSeq <= end && log.TermAt(persistenceId, b.HighestSeq) == b.TermAtHighest && b.HighestSeq < prevSeq ? b.HighestSeq : 0;
                    break;
                case ReplicaRefused { Promised: var promised } when promised > term:
                    return false; // a newer host has taken over
                default:
                    await Task.Delay(200); // no answer (or not following yet): ask again until the deadline
                    break;
            }
        }

        return false;
    }

    /// <summary>
    /// The other Up members, and how many members (this one counted) are a majority; for an id kept locally
    /// (<see cref="LedgerReplicationSettings.Replicates"/>), none and one.
    /// </summary>
    private (IReadOnlyList<Address> Others, int Need) Quorum(string persistenceId)
    {
        if (!Settings.Replicates(persistenceId))
        {
            return ([], 1);
        }

        var up = _cluster.State.Members.Where(m => m.Status == MemberStatus.Up).Select(m => m.Address).ToHashSet();
        up.Add(_cluster.SelfAddress);
        return ([.. up.Where(a => a != _cluster.SelfAddress)], up.Count / 2 + 1);
    }

    private async Task<object?> AskAsync(Address address, object message)
    {
        try
        {
            return await _system.ActorSelection(new RootActorPath(address) / "user" / LedgerReplica.Name).Ask<object>(message, Settings.AskTimeout);
        }
        catch (Exception e) when (e is AskTimeoutException or TaskCanceledException or OperationCanceledException)
        {
            return null;
        }
    }
}

/// <summary>A write (or a recovery) of the embedded ledger that a majority of the members did not confirm.</summary>
public sealed class LedgerNotReplicatedException(string reason) : Exception($"{LedgerRequests.NotReplicated}: {reason}");
