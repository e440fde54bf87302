using System.Collections.Immutable;
using System.Numerics;
using System.Text.Json.Nodes;
using Naeural.Actors.Security;
using Naeural.Ledger.Channels;
using Naeural.Ledger.Identity;
using Naeural.Ledger.Signing;
using Naeural.Actors.Serialization;

namespace Naeural.Ledger.Epochs;

/// <summary>
/// One observer's availability table for an epoch, signed by the observer (the node's key) in the epoch table's domain
/// (<see cref="NetworkIds.EpochTable"/>: a table signed for one network, or another object's signature, never counts here).
/// </summary>
[WireName("ledger.epochs.signed-availability")]
public sealed record SignedAvailability(long Epoch, string Observer, ImmutableSortedDictionary<string, byte> Table, string Signature)
{
    public static SignedAvailability Create(long epoch, ImmutableSortedDictionary<string, byte> table, NodeKey observer, string network) =>
        new(epoch, observer.Address, table, NetworkIds.EpochTable(network).Sign(Fields(epoch, table), observer));

    /// <summary>True when the observer named in it really signed it, for <paramref name="network"/>.</summary>
    public bool IsAuthentic(ISignatureVerifier verifier, string network) => Problem(verifier, network) is null;

    /// <summary>Null when the observer named in it signed it for <paramref name="network"/>, else why not.</summary>
    public string? Problem(ISignatureVerifier verifier, string network) =>
        NetworkIds.EpochTable(network).Problem(Fields(Epoch, Table ?? ImmutableSortedDictionary<string, byte>.Empty), Signature, Observer, verifier);

    private static JsonObject Fields(long epoch, IReadOnlyDictionary<string, byte> table)
    {
        var values = new JsonObject();
        foreach (var (node, value) in table.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            values[node] = value;
        }

        return new JsonObject { ["EPOCH"] = epoch, ["AVAILABILITY"] = values };
    }
}

/// <summary>
/// The agreed result of an epoch, computed by every observer from the authentic tables it collected, and signed by each
/// observer that computed the same result: a node claims its reward with at least a threshold of these signatures. Signed as
/// EIP-712 typed data in the settlement domain (<see cref="EpochResultSigning"/>), so the settlement contract checks the same
/// signatures; the nodes must then be addresses.
/// </summary>
[WireName("ledger.epochs.epoch-result")]
public sealed record EpochResult(long Epoch, ImmutableSortedDictionary<string, byte> Agreed)
{
    /// <summary>
    /// Agrees on the authentic tables (signed for <paramref name="network"/>) of <paramref name="epoch"/> from the known <paramref name="observers"/> only (anyone else's
    /// keys count for nothing), one per observer; an observer that signed two different tables for the epoch is left out
    /// (equivocation), and without tables from a majority of the observers there is no result (null): a minority can't become
    /// the majority of what happened to arrive.
    /// </summary>
    public static EpochResult? FromTables(
        long epoch, IEnumerable<SignedAvailability> tables, IReadOnlySet<string> observers, Secp256k1Verifier verifier, string network)
    {
        var honestCandidates = tables
            .Where(t => t.Epoch == epoch && observers.Contains(t.Observer) && t.IsAuthentic(verifier, network))
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
        && Agreed.Keys.Any(node => AccountAddress.Same(node, claimant))
        && Signers(signatures, verifier, domain).Count(observers.Contains) >= threshold;
}
