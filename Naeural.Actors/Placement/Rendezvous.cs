using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Naeural.Actors.Placement;

/// <summary>
/// Rendezvous (highest-random-weight) hashing: every member that knows the same candidates ranks them the same way for a
/// key, with no coordination. A candidate's weight for a key is the first 8 bytes of SHA-256(key, candidate id); ties (a
/// 2^-64 event) go to the lower id. Removing a candidate moves only the keys it ranked first, to their second choice.
/// </summary>
public static class Rendezvous
{
    /// <summary>The candidates ordered best first for <paramref name="key"/>.</summary>
    public static IReadOnlyList<T> Rank<T>(string key, IEnumerable<T> candidates, Func<T, string> idOf) =>
        [.. candidates
            .Select(c => (Candidate: c, Id: idOf(c).ToLowerInvariant()))
            .Select(c => (c.Candidate, c.Id, Weight: Weight(key, c.Id)))
            .OrderByDescending(c => c.Weight)
            .ThenBy(c => c.Id, StringComparer.Ordinal)
            .Select(c => c.Candidate)];

    /// <summary>The weight of <paramref name="id"/> for <paramref name="key"/> (case-insensitive ids).</summary>
    public static ulong Weight(string key, string id)
    {
        Span<byte> hash = stackalloc byte[32];
        var bytes = Encoding.UTF8.GetBytes($"{key}\n{id.ToLowerInvariant()}");
        SHA256.HashData(bytes, hash);
        return BinaryPrimitives.ReadUInt64BigEndian(hash);
    }
}
