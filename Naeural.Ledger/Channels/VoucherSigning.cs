using System.Numerics;
using Naeural.Ledger.Identity;
using Naeural.Ledger.Signing;
using Naeural.Actors.Security;

namespace Naeural.Ledger.Channels;

/// <summary>
/// EIP-712 hashing of <see cref="Voucher"/>s (written out for the one struct, checked against Nethereum's generic encoder in the
/// tests), signing with a <see cref="NodeKey"/>, and recovering the signer.
/// </summary>
public sealed class VoucherSigning
{
    private static readonly byte[] VoucherTypeHash = Eip712.TypeHash("Voucher(bytes32 channelId,uint256 amount,uint256 nonce)");

    private readonly byte[] _domainSeparator;
    private readonly Secp256k1Verifier _verifier;

    public VoucherSigning(VoucherDomain domain, Secp256k1Verifier? verifier = null)
    {
        Domain = domain;
        _verifier = verifier ?? new Secp256k1Verifier();
        _domainSeparator = Eip712.DomainSeparator(domain);
    }

    public VoucherDomain Domain { get; }

    /// <summary>keccak256(0x19 0x01 ‖ domainSeparator ‖ hashStruct(voucher)): what the payer signs.</summary>
    public byte[] Digest(Voucher voucher)
    {
        var structHash = Keccak.Hash(Eip712.Concat(VoucherTypeHash, Bytes32(voucher.ChannelId), Eip712.Word(voucher.CumulativeAmount), Eip712.Word(voucher.Nonce)));
        return Eip712.Digest(_domainSeparator, structHash);
    }

    public SignedVoucher Sign(NodeKey payer, Voucher voucher) => new(voucher, payer.SignDigest(Digest(voucher)));

    /// <summary>Who signed it (null for a malformed or non-recoverable signature, or a malformed voucher).</summary>
    public string? RecoverSigner(SignedVoucher signed)
    {
        try
        {
            return _verifier.RecoverFromDigest(Digest(signed.Voucher), signed.Signature);
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    /// <summary>A uint256 as a 32-byte big-endian word (see <see cref="Eip712.Word"/>).</summary>
    public static byte[] Word(BigInteger value) => Eip712.Word(value);

    private static byte[] Bytes32(string hex)
    {
        var bytes = HexText.Decode(hex);
        return bytes.Length == 32 ? bytes : throw new ArgumentException("a channel id is 32 bytes");
    }
}
