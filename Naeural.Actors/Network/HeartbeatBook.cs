using Naeural.Actors.Nodes;
using Naeural.Actors.Security;

namespace Naeural.Actors.Network;

/// <summary>
/// A reader's verified copy of the replicated heartbeats. An entry counts only when its key is a node id (0x and 40 hex
/// digits), its <see cref="NodeResources.NodeId"/> is that key and its signature recovers to that key, in this network's
/// domain; anything else is dropped (never thrown on). Per node, the newest verified heartbeat (by signed time, then sequence)
/// is kept, so an older one replayed, a forged one written over it, or its key removed from the map doesn't take it away.
/// Verification is cached: an entry seen before (the same object, or no newer than the one kept) is not checked again, and a
/// rejected entry is remembered by its bytes and signature; so reading the whole map costs signatures only for what changed.
/// </summary>
public sealed class HeartbeatBook(ISignatureVerifier verifier, string network)
{
    private readonly Dictionary<string, SignedHeartbeat> _lastRead = new(StringComparer.Ordinal);
    private readonly Dictionary<string, NodeResources> _accepted = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (string Signature, byte[] Bytes)> _rejected = new(StringComparer.Ordinal);

    /// <summary>How many signatures this book has checked (what the cache saves shows here).</summary>
    public long Verifications { get; private set; }

    /// <summary>The newest verified heartbeat of every node, keyed by lower-case node id.</summary>
    public IReadOnlyDictionary<string, NodeResources> Accepted => _accepted;

    /// <summary>Reads the replicated map; true when a node's accepted heartbeat changed.</summary>
    public bool Read(IEnumerable<KeyValuePair<string, SignedHeartbeat>> entries)
    {
        var changed = false;
        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (key, entry) in entries)
        {
            keys.Add(key);
            if (_lastRead.TryGetValue(key, out var last) && ReferenceEquals(last, entry))
            {
                continue;
            }

            _lastRead[key] = entry;
            changed |= Consider(key, entry);
        }

        foreach (var gone in _lastRead.Keys.Where(k => !keys.Contains(k)).ToList())
        {
            _lastRead.Remove(gone);
        }

        return changed;
    }

    /// <summary>Forgets a node (its member was removed): a later heartbeat of it starts afresh.</summary>
    public void Forget(string nodeId)
    {
        _accepted.Remove(nodeId.ToLowerInvariant());
        _rejected.Remove(nodeId.ToLowerInvariant());
    }

    /// <summary>True when <paramref name="entry"/> under <paramref name="key"/> verifies, alone (no cache, no ordering).</summary>
    public bool Verifies(string key, SignedHeartbeat? entry)
    {
        if (!NodeIds.IsAddress(key) || entry?.Resources is not { } resources || entry.Signature is null
            || !AccountAddress.Same(resources.NodeId, key))
        {
            return false;
        }

        Verifications++;
        return AccountAddress.Same(verifier.RecoverSigner(HeartbeatSigning.Bytes(resources, network), entry.Signature), key);
    }

    private bool Consider(string key, SignedHeartbeat? entry)
    {
        if (!NodeIds.IsAddress(key) || entry?.Resources is not { } resources || entry.Signature is null
            || !AccountAddress.Same(resources.NodeId, key))
        {
            return false;
        }

        var id = key.ToLowerInvariant();
        if (_accepted.TryGetValue(id, out var kept)
            && (resources.UpdatedAt, resources.Sequence).CompareTo((kept.UpdatedAt, kept.Sequence)) <= 0)
        {
            return false; // no newer than what is kept: a copy, a replay, or a forgery of the same time
        }

        var bytes = HeartbeatSigning.Bytes(resources, network);
        if (_rejected.TryGetValue(id, out var rejected) && rejected.Signature == entry.Signature && rejected.Bytes.AsSpan().SequenceEqual(bytes))
        {
            return false;
        }

        Verifications++;
        if (!AccountAddress.Same(verifier.RecoverSigner(bytes, entry.Signature), key))
        {
            _rejected[id] = (entry.Signature, bytes);
            return false;
        }

        _accepted[id] = resources;
        return true;
    }
}
