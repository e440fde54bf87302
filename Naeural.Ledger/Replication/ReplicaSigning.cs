using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Naeural.Actors.Security;

namespace Naeural.Ledger.Replication;

/// <summary>
/// What the replicated journal's writer signs, in the network's <c>naeural/ledger-replica</c> domain, each kind named in the
/// signed fields so one never passes for another: a prepare (the term it asks for), an entry (its place, terms and event), an
/// append (its place, the writer's log end and every entry it carries).
/// </summary>
public sealed class ReplicaSigning(string network, ISignatureVerifier verifier)
{
    private readonly SignedDomain _domain = NetworkIds.LedgerReplica(network);

    public static JsonObject Prepare(string persistenceId, long term, string writer) => new()
    {
        ["KIND"] = "prepare", ["PID"] = persistenceId, ["TERM"] = term, ["WRITER"] = writer,
    };

    public static JsonObject Entry(string persistenceId, ReplicatedEntry e) => new()
    {
        ["KIND"] = "entry", ["PID"] = persistenceId, ["SEQ"] = e.Seq, ["TERM"] = e.Term, ["PREV_TERM"] = e.PrevTerm,
        ["SERIALIZER"] = e.SerializerId, ["MANIFEST"] = e.Manifest, ["HASH"] = Convert.ToHexStringLower(SHA256.HashData(e.Payload)),
        ["WRITER"] = e.Writer,
    };

    public static JsonObject Append(ReplicaAppend a) => new()
    {
        ["KIND"] = "append", ["PID"] = a.PersistenceId, ["TERM"] = a.Term, ["PREV_SEQ"] = a.PrevSeq, ["PREV_TERM"] = a.PrevTerm,
        ["LOG_END"] = a.LogEnd, ["ENTRIES"] = EntriesHash(a), ["WRITER"] = a.Writer,
    };

    public ReplicaPrepare SignPrepare(string persistenceId, long term, IMessageSigner writer) =>
        new(persistenceId, term, writer.Address, _domain.Sign(Prepare(persistenceId, term, writer.Address), writer));

    public ReplicatedEntry SignEntry(string persistenceId, ReplicatedEntry e, IMessageSigner writer)
    {
        var unsigned = e with { Writer = writer.Address, Signature = "" };
        return unsigned with { Signature = _domain.Sign(Entry(persistenceId, unsigned), writer) };
    }

    public ReplicaAppend SignAppend(ReplicaAppend a, IMessageSigner writer)
    {
        var unsigned = a with { Writer = writer.Address, Signature = "" };
        return unsigned with { Signature = _domain.Sign(Append(unsigned), writer) };
    }

    /// <summary>Null when the prepare is signed by its writer for this network; else why not.</summary>
    public string? Problem(ReplicaPrepare p) => _domain.Problem(Prepare(p.PersistenceId, p.Term, p.Writer), p.Signature, p.Writer, verifier);

    /// <summary>Null when the entry is signed by the writer it names for this network; else why not.</summary>
    public string? Problem(string persistenceId, ReplicatedEntry e) =>
        e.Payload is null ? "it has no event" : _domain.Problem(Entry(persistenceId, e), e.Signature, e.Writer, verifier);

    /// <summary>Null when the append (with every entry it carries) is signed by its writer for this network; else why not.</summary>
    public string? Problem(ReplicaAppend a) =>
        a.Entries.IsDefault || a.Entries.Any(e => e is null || e.Payload is null)
            ? "it is malformed"
            : _domain.Problem(Append(a), a.Signature, a.Writer, verifier);

    /// <summary>A hash over every field of every entry, signatures included: an append's signature covers what it carries.</summary>
    private static string EntriesHash(ReplicaAppend a)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var e in a.Entries.IsDefault ? [] : a.Entries)
        {
            hash.AppendData(CanonicalJson.Serialize(Entry(a.PersistenceId, e)));
            hash.AppendData(System.Text.Encoding.UTF8.GetBytes(e.Signature ?? ""));
            hash.AppendData(SHA256.HashData(e.Payload ?? []));
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
