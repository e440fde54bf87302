using System.Numerics;
using System.Text;
using Naeural.Ledger.Identity;
using Naeural.Ledger.Signing;

namespace Naeural.Ledger.Channels;

/// <summary>
/// EIP-712 hashing of <see cref="Voucher"/>s (written out for the one struct, checked against Nethereum's generic encoder in the
/// tests), signing with a <see cref="NodeKey"/>, and recovering the signer.
/// </summary>
public sealed class VoucherSigning
{
    private static readonly byte[] DomainTypeHash =
        Keccak.Hash(Encoding.UTF8.GetBytes("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"));

    private static readonly byte[] VoucherTypeHash = Keccak.Hash(Encoding.UTF8.GetBytes("Voucher(bytes32 channelId,uint256 amount,uint256 nonce)"));

    private readonly byte[] _domainSeparator;
    private readonly Secp256k1Verifier _verifier;

    public VoucherSigning(VoucherDomain domain, Secp256k1Verifier? verifier = null)
    {
        Domain = domain;
        _verifier = verifier ?? new Secp256k1Verifier();
        _domainSeparator = Keccak.Hash(Concat(
            DomainTypeHash,
            Keccak.Hash(Encoding.UTF8.GetBytes(domain.Name)),
            Keccak.Hash(Encoding.UTF8.GetBytes(domain.Version)),
            Word(domain.ChainId),
            AddressWord(domain.VerifyingContract)));
    }

    public VoucherDomain Domain { get; }

    /// <summary>keccak256(0x19 0x01 ‖ domainSeparator ‖ hashStruct(voucher)): what the payer signs.</summary>
    public byte[] Digest(Voucher voucher)
    {
        var structHash = Keccak.Hash(Concat(VoucherTypeHash, Bytes32(voucher.ChannelId), Word(voucher.CumulativeAmount), Word(voucher.Nonce)));
        return Keccak.Hash(Concat([0x19, 0x01], _domainSeparator, structHash));
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

    /// <summary>A uint256 as a 32-byte big-endian word.</summary>
    public static byte[] Word(BigInteger value)
    {
        if (value.Sign < 0 || value.GetByteCount(isUnsigned: true) > 32)
        {
            throw new ArgumentException($"{value} is not a uint256");
        }

        var word = new byte[32];
        var bytes = value.ToByteArray(isUnsigned: true, isBigEndian: true);
        bytes.CopyTo(word, 32 - bytes.Length);
        return word;
    }

    private static byte[] Bytes32(string hex)
    {
        var bytes = Convert.FromHexString(hex.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? hex[2..] : hex);
        return bytes.Length == 32 ? bytes : throw new ArgumentException("a channel id is 32 bytes");
    }

    private static byte[] AddressWord(string address)
    {
        var bytes = Convert.FromHexString(address[2..]);
        var word = new byte[32];
        bytes.CopyTo(word, 12);
        return word;
    }

    private static byte[] Concat(params byte[][] parts) => parts.SelectMany(p => p).ToArray();
}
