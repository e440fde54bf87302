using System.Numerics;
using System.Text;
using Naeural.Actors.Security;
using Naeural.Ledger.Channels;

namespace Naeural.Ledger.Signing;

/// <summary>
/// The pieces of EIP-712 typed-data hashing the ledger writes out by hand (vouchers, epoch results): 32-byte words, the
/// domain separator, arrays, and the final <c>0x19 0x01</c> digest. Checked against Nethereum's generic encoder in the tests.
/// </summary>
public static class Eip712
{
    private static readonly byte[] DomainTypeHash =
        Keccak.Hash(Encoding.UTF8.GetBytes("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"));

    /// <summary>keccak256 of a struct's type string, e.g. <c>Voucher(bytes32 channelId,uint256 amount,uint256 nonce)</c>.</summary>
    public static byte[] TypeHash(string type) => Keccak.Hash(Encoding.UTF8.GetBytes(type));

    /// <summary>hashStruct(EIP712Domain) of <paramref name="domain"/>.</summary>
    public static byte[] DomainSeparator(VoucherDomain domain) => Keccak.Hash(Concat(
        DomainTypeHash,
        Keccak.Hash(Encoding.UTF8.GetBytes(domain.Name)),
        Keccak.Hash(Encoding.UTF8.GetBytes(domain.Version)),
        Word(domain.ChainId),
        AddressWord(domain.VerifyingContract)));

    /// <summary>keccak256(0x19 0x01 ‖ domainSeparator ‖ structHash): what a signer signs.</summary>
    public static byte[] Digest(byte[] domainSeparator, byte[] structHash) => Keccak.Hash(Concat([0x19, 0x01], domainSeparator, structHash));

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

    /// <summary>A 20-byte address (0x-hex, any case) left-padded to a 32-byte word.</summary>
    public static byte[] AddressWord(string address)
    {
        var word = new byte[32];
        AddressBytes(address).CopyTo(word, 12);
        return word;
    }

    /// <summary>The 20 bytes of a 0x-hex address, or an exception naming the problem.</summary>
    public static byte[] AddressBytes(string address) =>
        AccountAddress.TryParse(address, out var parsed) ? parsed.ToBytes() : throw new ArgumentException($"'{address}' is not an address (0x + 40 hex digits)");

    /// <summary>An array member: keccak256 of its elements' 32-byte encodings, concatenated.</summary>
    public static byte[] HashArray(IEnumerable<byte[]> encodedElements) => Keccak.Hash(Concat([.. encodedElements]));

    public static byte[] Concat(params byte[][] parts) => parts.SelectMany(p => p).ToArray();
}
