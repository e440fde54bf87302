namespace Naeural.Actors.Security;

/// <summary>
/// Payload encryption between two secp256k1 keys, this party's and the other's (a node and a pipeline's owner): what one
/// seals for a recipient's public key only the recipient's key opens, given the sender's public key. The scheme (ECDH →
/// HKDF-SHA256 → AES-256-GCM) lives in Naeural.Ledger with the keys; the kernel only sees this interface.
/// </summary>
public interface IPayloadCipher
{
    /// <summary>This party's public key: 65 bytes, uncompressed (0x04 ‖ X ‖ Y).</summary>
    ReadOnlySpan<byte> PublicKey { get; }

    /// <summary>Encrypts <paramref name="plaintext"/> for <paramref name="recipientPublicKey"/>, bound to <paramref name="associatedData"/>.</summary>
    /// <exception cref="System.Security.Cryptography.CryptographicException">The recipient's key is not a secp256k1 public key.</exception>
    byte[] Seal(ReadOnlySpan<byte> recipientPublicKey, ReadOnlySpan<byte> plaintext, ReadOnlySpan<byte> associatedData);

    /// <summary>Decrypts what <paramref name="senderPublicKey"/>'s owner sealed for this party's key with the same associated data.</summary>
    /// <exception cref="System.Security.Cryptography.CryptographicException">
    /// Not sealed for this key by that sender, sealed with other associated data, or changed since.
    /// </exception>
    byte[] Open(ReadOnlySpan<byte> senderPublicKey, ReadOnlySpan<byte> sealedData, ReadOnlySpan<byte> associatedData);
}
