using Nethereum.Util;

namespace Naeural.Ledger.Signing;

/// <summary>Ethereum addresses from secp256k1 public keys.</summary>
public static class EthereumAddress
{
    /// <summary>The EIP-55 checksummed address of a 65-byte uncompressed public key (0x04 ‖ X ‖ Y).</summary>
    public static string FromUncompressedPublicKey(ReadOnlySpan<byte> publicKey)
    {
        if (publicKey.Length != 65 || publicKey[0] != 0x04)
        {
            throw new ArgumentException("expected a 65-byte uncompressed secp256k1 public key", nameof(publicKey));
        }

        var hash = Keccak.Hash(publicKey[1..]);
        return AddressUtil.Current.ConvertToChecksumAddress(Convert.ToHexString(hash, 12, 20));
    }
}
