using System.Collections.Immutable;
using System.Numerics;
using System.Text.Json.Nodes;
using Naeural.Actors.Security;
using Naeural.Ledger.Channels;
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
/// observer that computed the same result: a node claims its reward with at least a threshold of these signatures. Signed as
/// EIP-712 typed data in the settlement domain (<see cref="EpochResultSigning"/>), so the settlement contract checks the same
/// signatures; the nodes must then be addresses.
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

    /// <summary>The observer's EIP-712 signature of this result in the embedded ledger's domain.</summary>
    public string Sign(NodeKey observer) => Sign(observer, VoucherDomain.Embedded);

    /// <summary>The observer's EIP-712 signature of this result in <paramref name="domain"/> (see <see cref="EpochResultSigning"/>).</summary>
    public string Sign(NodeKey observer, VoucherDomain domain) => new EpochResultSigning(domain).Sign(observer, this);

    /// <summary>The distinct signers among <paramref name="signatures"/> of exactly this result, in the embedded ledger's domain.</summary>
    public IReadOnlySet<string> Signers(IEnumerable<string> signatures, Secp256k1Verifier verifier) =>
        Signers(signatures, verifier, VoucherDomain.Embedded);

    /// <summary>The distinct signers among <paramref name="signatures"/> of exactly this result, in <paramref name="domain"/>.</summary>
    public IReadOnlySet<string> Signers(IEnumerable<string> signatures, Secp256k1Verifier verifier, VoucherDomain domain) =>
        new EpochResultSigning(domain, verifier).Signers(this, signatures);

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
    /// Whether <paramref name="claimant"/> may claim its reward: it is in the result, and at least <paramref name="threshold"/>
    /// (a positive number of) distinct observers of <paramref name="observers"/> signed this result, in the embedded ledger's domain.
    /// </summary>
    public bool ClaimIsValid(string claimant, IEnumerable<string> signatures, IReadOnlySet<string> observers, int threshold, Secp256k1Verifier verifier) =>
        ClaimIsValid(claimant, signatures, observers, threshold, verifier, VoucherDomain.Embedded);

    /// <summary>As <see cref="ClaimIsValid(string, IEnumerable{string}, IReadOnlySet{string}, int, Secp256k1Verifier)"/>, in <paramref name="domain"/>.</summary>
    public bool ClaimIsValid(
        string claimant, IEnumerable<string> signatures, IReadOnlySet<string> observers, int threshold, Secp256k1Verifier verifier, VoucherDomain domain) =>
        threshold > 0
        && Agreed.Keys.Any(node => string.Equals(node, claimant, StringComparison.OrdinalIgnoreCase))
        && Signers(signatures, verifier, domain).Count(observers.Contains) >= threshold;
}
