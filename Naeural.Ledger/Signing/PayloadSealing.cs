using System.Security.Cryptography;

namespace Naeural.Ledger.Signing;

/// <summary>
/// The payload encryption scheme, given the secret two secp256k1 keys agree on (ECDH, see
/// <see cref="ISecp256k1Backend.TryAgree"/>): a fresh 16-byte salt per message, key = HKDF-SHA256(secret, salt,
/// <see cref="Info"/>, 32 bytes), then AES-256-GCM with a fresh 96-bit nonce and the caller's associated data.
/// Sealed layout: version (1 byte, 1) ‖ salt (16) ‖ nonce (12) ‖ ciphertext ‖ tag (16).
/// </summary>
public static class PayloadSealing
{
    public const byte Version = 1;
    public const int SaltBytes = 16;
    public const int NonceBytes = 12;
    public const int TagBytes = 16;
    public const int KeyBytes = 32;

    /// <summary>Bytes a sealed message adds to its plaintext.</summary>
    public const int Overhead = 1 + SaltBytes + NonceBytes + TagBytes;

    /// <summary>HKDF's info: names the scheme, so a key derived here serves nothing else.</summary>
    public static ReadOnlySpan<byte> Info => "naeural/payload-encryption/v1: secp256k1 ECDH, HKDF-SHA256, AES-256-GCM"u8;

    public static byte[] Seal(ReadOnlySpan<byte> sharedSecret, ReadOnlySpan<byte> plaintext, ReadOnlySpan<byte> associatedData)
    {
        var output = new byte[Overhead + plaintext.Length];
        output[0] = Version;
        var salt = output.AsSpan(1, SaltBytes);
        var nonce = output.AsSpan(1 + SaltBytes, NonceBytes);
        var ciphertext = output.AsSpan(1 + SaltBytes + NonceBytes, plaintext.Length);
        var tag = output.AsSpan(output.Length - TagBytes);
        RandomNumberGenerator.Fill(salt);
        RandomNumberGenerator.Fill(nonce);
        Span<byte> key = stackalloc byte[KeyBytes];
        try
        {
            HKDF.DeriveKey(HashAlgorithmName.SHA256, sharedSecret, key, salt, Info);
            using var aes = new AesGcm(key, TagBytes);
            aes.Encrypt(nonce, plaintext, ciphertext, tag, associatedData);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }

        return output;
    }

    /// <exception cref="CryptographicException">Not this scheme's version, too short, or it does not authenticate.</exception>
    public static byte[] Open(ReadOnlySpan<byte> sharedSecret, ReadOnlySpan<byte> sealedData, ReadOnlySpan<byte> associatedData)
    {
        if (sealedData.Length < Overhead)
        {
            throw new CryptographicException($"sealed data is {sealedData.Length} bytes, shorter than the scheme's {Overhead}-byte overhead");
        }

        if (sealedData[0] != Version)
        {
            throw new CryptographicException($"sealed with scheme version {sealedData[0]}, this node knows version {Version}");
        }

        var salt = sealedData.Slice(1, SaltBytes);
        var nonce = sealedData.Slice(1 + SaltBytes, NonceBytes);
        var ciphertext = sealedData[(1 + SaltBytes + NonceBytes)..^TagBytes];
        var tag = sealedData[^TagBytes..];
        var plaintext = new byte[ciphertext.Length];
        Span<byte> key = stackalloc byte[KeyBytes];
        try
        {
            HKDF.DeriveKey(HashAlgorithmName.SHA256, sharedSecret, key, salt, Info);
            using var aes = new AesGcm(key, TagBytes);
            aes.Decrypt(nonce, ciphertext, tag, plaintext, associatedData);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }

        return plaintext;
    }
}
