using Naeural.Ledger.Channels;
using Naeural.Ledger.Identity;
using Naeural.Ledger.Signing;
using Naeural.Actors.Security;

namespace Naeural.Ledger.Epochs;

/// <summary>
/// EIP-712 hashing of <see cref="EpochResult"/>s in the settlement domain (the vouchers' <see cref="VoucherDomain"/>), as
/// <c>EpochResult(uint256 epoch,address[] nodes,uint8[] availabilities)</c> with the nodes sorted ascending by address, so
/// the settlement contract checks the same digest the observers signed off chain. Written out by hand like
/// <see cref="VoucherSigning"/> and checked against Nethereum's generic encoder in the tests.
/// </summary>
public sealed class EpochResultSigning
{
    /// <summary>The struct's EIP-712 type, as the contract declares it.</summary>
    public const string Type = "EpochResult(uint256 epoch,address[] nodes,uint8[] availabilities)";

    private static readonly byte[] TypeHash = Eip712.TypeHash(Type);

    private readonly byte[] _domainSeparator;
    private readonly Secp256k1Verifier _verifier;

    public EpochResultSigning(VoucherDomain domain, Secp256k1Verifier? verifier = null)
    {
        Domain = domain;
        _verifier = verifier ?? new Secp256k1Verifier();
        _domainSeparator = Eip712.DomainSeparator(domain);
    }

    public VoucherDomain Domain { get; }

    /// <summary>
    /// The result's nodes (lower-case 0x-hex) and their availabilities in the one order that is signed: ascending by address.
    /// A node that is not an address, or that appears twice under two spellings, is refused with an <see cref="ArgumentException"/>.
    /// </summary>
    public static IReadOnlyList<(string Node, byte Availability)> Canonical(EpochResult result)
    {
        var entries = result.Agreed
            .Select(p => (Bytes: Eip712.AddressBytes(p.Key), p.Value))
            .OrderBy(e => e.Bytes, ByteOrder.Instance)
            .Select(e => ("0x" + Convert.ToHexStringLower(e.Bytes), e.Value))
            .ToList();
        for (var i = 1; i < entries.Count; i++)
        {
            if (entries[i].Item1 == entries[i - 1].Item1)
            {
                throw new ArgumentException($"node {entries[i].Item1} appears twice in the result of epoch {result.Epoch}");
            }
        }

        return entries;
    }

    /// <summary>keccak256(0x19 0x01 ‖ domainSeparator ‖ hashStruct(result)): what each observer signs.</summary>
    public byte[] Digest(EpochResult result)
    {
        var entries = Canonical(result);
        var structHash = Keccak.Hash(Eip712.Concat(
            TypeHash,
            Eip712.Word(result.Epoch),
            Eip712.HashArray(entries.Select(e => Eip712.AddressWord(e.Node))),
            Eip712.HashArray(entries.Select(e => Eip712.Word(e.Availability)))));
        return Eip712.Digest(_domainSeparator, structHash);
    }

    /// <summary>The observer's 65-byte signature over the result's digest (0x-hex, r ‖ s ‖ v).</summary>
    public string Sign(NodeKey observer, EpochResult result) => observer.SignDigest(Digest(result));

    /// <summary>Who signed the result (null for a malformed, high-s or non-recoverable signature, or a malformed result).</summary>
    public string? RecoverSigner(EpochResult result, string signature)
    {
        try
        {
            return _verifier.RecoverFromDigest(Digest(result), signature);
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    /// <summary>The distinct addresses that signed exactly this result among <paramref name="signatures"/>.</summary>
    public IReadOnlySet<string> Signers(EpochResult result, IEnumerable<string> signatures)
    {
        byte[] digest;
        try
        {
            digest = Digest(result);
        }
        catch (ArgumentException)
        {
            return new HashSet<string>();
        }

        return signatures.Select(s => _verifier.RecoverFromDigest(digest, s)).OfType<string>().ToHashSet(AccountAddress.Comparer);
    }

    private sealed class ByteOrder : IComparer<byte[]>
    {
        public static ByteOrder Instance { get; } = new();

        public int Compare(byte[]? x, byte[]? y) => x.AsSpan().SequenceCompareTo(y);
    }
}
