using System.Collections.Immutable;
using System.Numerics;
using System.Text;
using System.Text.Json.Nodes;
using Naeural.Actors.Security;
using Naeural.Ledger.Identity;
using Naeural.Ledger.Signing;

namespace Naeural.Ledger.Epochs;

/// <summary>One observer's availability table for an epoch, signed by the observer (canonical JSON, the node's key).</summary>
public sealed record SignedAvailability(long Epoch, string Observer, ImmutableSortedDictionary<string, byte> Table, string Signature)
{
    public static SignedAvailability Create(long epoch, ImmutableSortedDictionary<string, byte> table, NodeKey observer) =>
        new(epoch, observer.Address, table, observer.Sign(Bytes(epoch, table)).Signature);

    /// <summary>True when the observer named in it really signed it.</summary>
    public bool IsAuthentic(Secp256k1Verifier verifier) =>
        string.Equals(verifier.RecoverSigner(Bytes(Epoch, Table), Signature), Observer, StringComparison.OrdinalIgnoreCase);

    internal static byte[] Bytes(long epoch, IReadOnlyDictionary<string, byte> table)
    {
        var values = new JsonObject();
        foreach (var (node, value) in table.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            values[node] = value;
        }

        return CanonicalJson.Serialize(new JsonObject { ["EPOCH"] = epoch, ["AVAILABILITY"] = values });
    }
}

/// <summary>
/// The agreed result of an epoch, computed by every observer from the authentic tables it collected, and signed by each
/// observer that computed the same result: a node claims its reward with at least a threshold of these signatures.
/// </summary>
public sealed record EpochResult(long Epoch, ImmutableSortedDictionary<string, byte> Agreed)
{
    /// <summary>
    /// Agrees on the authentic tables of <paramref name="epoch"/> from the known <paramref name="observers"/> only (anyone else's
    /// keys count for nothing), one per observer; an observer that signed two different tables for the epoch is left out
    /// (equivocation), and without tables from a majority of the observers there is no result (null): a minority can't become
    /// the majority of what happened to arrive.
    /// </summary>
    public static EpochResult? FromTables(long epoch, IEnumerable<SignedAvailability> tables, IReadOnlySet<string> observers, Secp256k1Verifier verifier)
    {
        var honestCandidates = tables
            .Where(t => t.Epoch == epoch && observers.Contains(t.Observer) && t.IsAuthentic(verifier))
            .GroupBy(t => t.Observer.ToLowerInvariant())
            .Where(g => g.Select(t => string.Join(",", t.Table.Select(p => $"{p.Key}={p.Value}"))).Distinct().Count() == 1)
            .Select(g => (IReadOnlyDictionary<string, byte>)g.First().Table)
            .ToList();
        return honestCandidates.Count * 2 > observers.Count
            ? new EpochResult(epoch, AvailabilityAgreement.Agree(honestCandidates))
            : null;
    }

    public string Sign(NodeKey observer) => observer.Sign(Bytes()).Signature;

    /// <summary>The distinct observers among <paramref name="signatures"/> that signed exactly this result.</summary>
    public IReadOnlySet<string> Signers(IEnumerable<string> signatures, Secp256k1Verifier verifier) =>
        signatures.Select(s => verifier.RecoverSigner(Bytes(), s)).OfType<string>().ToHashSet(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Each node's share of <paramref name="pool"/>, in proportion to its agreed availability (integer division; what is left
    /// over by rounding stays in the pool).
    /// </summary>
    public ImmutableSortedDictionary<string, BigInteger> Rewards(BigInteger pool)
    {
        var total = Agreed.Values.Sum(v => (int)v);
        return Agreed.ToImmutableSortedDictionary(p => p.Key, p => total == 0 ? BigInteger.Zero : pool * p.Value / total, StringComparer.Ordinal);
    }

    /// <summary>
    /// Whether <paramref name="claimant"/> may claim its reward: at least <paramref name="threshold"/> distinct observers of
    /// <paramref name="observers"/> signed this result, not one.
    /// </summary>
    public bool ClaimIsValid(string claimant, IEnumerable<string> signatures, IReadOnlySet<string> observers, int threshold, Secp256k1Verifier verifier) =>
        Agreed.ContainsKey(claimant.ToLowerInvariant())
        && Signers(signatures, verifier).Count(observers.Contains) >= threshold;

    private byte[] Bytes() => Encoding.UTF8.GetBytes("NAEURAL_EPOCH_RESULT:").Concat(SignedAvailability.Bytes(Epoch, Agreed)).ToArray();
}
