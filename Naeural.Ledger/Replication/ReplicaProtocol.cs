using System.Collections.Immutable;
using Naeural.Actors.Serialization;

namespace Naeural.Ledger.Replication;

/// <summary>
/// One event of the embedded ledger's replicated journal: its place (<paramref name="Seq"/>), the term of the writer that
/// wrote it and of the entry before it, the event as the node's serializer wrote it, and the writer's signature over all of it
/// (<see cref="ReplicaSigning.Entry"/>), so an entry is never taken in another node's name.
/// </summary>
[WireName("ledger.replication.replicated-entry")]
public sealed record ReplicatedEntry(
    long Seq, long Term, long PrevTerm, int SerializerId, string Manifest, byte[] Payload, string Writer, string Signature);

/// <summary>
/// The ledger's new host asks a replica to follow it from <paramref name="Term"/> on (and to refuse older writers), signed by
/// the host's node key; a replica takes it only from the node bound to the oldest Up member's address.
/// </summary>
[WireName("ledger.replication.replica-prepare")]
public sealed record ReplicaPrepare(string PersistenceId, long Term, string Writer, string Signature);

/// <summary>A replica follows <paramref name="Term"/>: what its log holds (the term that last vouched for it, its last entry).</summary>
[WireName("ledger.replication.replica-promised")]
public sealed record ReplicaPromised(string PersistenceId, long Term, long LogTerm, long HighestSeq);

/// <summary>A replica refuses a prepare, an append or a read: why, and the term it follows.</summary>
[WireName("ledger.replication.replica-refused")]
public sealed record ReplicaRefused(string PersistenceId, long Promised, string Reason);

/// <summary>
/// The ledger's host writes <paramref name="Entries"/> after <paramref name="PrevSeq"/> (whose entry has
/// <paramref name="PrevTerm"/>); its log ends at <paramref name="LogEnd"/>. Signed by the host over every field and every
/// entry (<see cref="ReplicaSigning.Append"/>); empty to bring a replica up to date.
/// </summary>
[WireName("ledger.replication.replica-append")]
public sealed record ReplicaAppend(
    string PersistenceId, long Term, long PrevSeq, long PrevTerm, long LogEnd, ImmutableArray<ReplicatedEntry> Entries,
    string Writer, string Signature);

/// <summary>A replica holds the host's log up to <paramref name="HighestSeq"/>.</summary>
[WireName("ledger.replication.replica-appended")]
public sealed record ReplicaAppended(string PersistenceId, long Term, long HighestSeq);

/// <summary>A replica's log does not hold <c>PrevSeq</c> with <c>PrevTerm</c>: its last entry, for the host to resend from.</summary>
[WireName("ledger.replication.replica-behind")]
public sealed record ReplicaBehind(string PersistenceId, long Term, long HighestSeq, long TermAtHighest);

/// <summary>The ledger's host reads a replica's log (only the oldest member is answered).</summary>
[WireName("ledger.replication.replica-read")]
public sealed record ReplicaRead(string PersistenceId, long FromSeq, int Max);

/// <summary>Entries from <c>FromSeq</c> on, at most <c>Max</c>.</summary>
[WireName("ledger.replication.replica-entries")]
public sealed record ReplicaEntries(string PersistenceId, ImmutableArray<ReplicatedEntry> Entries);
