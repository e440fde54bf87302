using System.Collections.Concurrent;
using System.Security.Cryptography;
using Naeural.Actors.Security;
using Naeural.Ledger.Signing;

namespace Naeural.Ledger.Identity;

/// <summary>
/// A secp256k1 key: a node's identity (its address is the node id) or a developer's (the owner id). Signs the
/// Keccak-256 of a message with a recoverable, low-s signature in Ethereum's r ‖ s ‖ v layout (v = 27/28), and seals and
/// opens payloads exchanged with another key (<see cref="PayloadSealing"/> over this key × theirs, ECDH).
/// </summary>
public sealed class NodeKey : IMessageSigner, IPayloadCipher
{
    /// <summary>Shared secrets kept per peer key (static-static ECDH gives the same one every time); cleared beyond this.</summary>
    private const int MaxCachedSecrets = 4096;

    private readonly byte[] _secret;
    private readonly byte[] _publicKey;
    private readonly ISecp256k1Backend _backend;
    private readonly ConcurrentDictionary<string, byte[]> _agreed = new(StringComparer.Ordinal);

    private NodeKey(byte[] secret, byte[] publicKey, string address, ISecp256k1Backend backend)
    {
        _secret = secret;
        _publicKey = publicKey;
        _backend = backend;
        Address = address;
    }

    public string Address { get; }

    /// <summary>The public key: 65 bytes, uncompressed (0x04 ‖ X ‖ Y).</summary>
    public ReadOnlySpan<byte> PublicKey => _publicKey;

    public byte[] Seal(ReadOnlySpan<byte> recipientPublicKey, ReadOnlySpan<byte> plaintext, ReadOnlySpan<byte> associatedData) =>
        PayloadSealing.Seal(SharedSecret(recipientPublicKey), plaintext, associatedData);

    public byte[] Open(ReadOnlySpan<byte> senderPublicKey, ReadOnlySpan<byte> sealedData, ReadOnlySpan<byte> associatedData) =>
        PayloadSealing.Open(SharedSecret(senderPublicKey), sealedData, associatedData);

    /// <summary>The secret this key and <paramref name="otherPublicKey"/> agree on (ECDH), computed once per peer key.</summary>
    private byte[] SharedSecret(ReadOnlySpan<byte> otherPublicKey)
    {
        var id = Convert.ToHexString(otherPublicKey);
        if (_agreed.TryGetValue(id, out var known))
        {
            return known;
        }

        var secret = new byte[32];
        if (!_backend.TryAgree(_secret, otherPublicKey, secret))
        {
            throw new CryptographicException("not a secp256k1 public key: no shared secret");
        }

        if (_agreed.Count >= MaxCachedSecrets)
        {
            _agreed.Clear();
        }

        return _agreed.GetOrAdd(id, secret);
    }

    /// <summary>A fresh key from the OS's cryptographic random source.</summary>
    public static NodeKey Generate(ISecp256k1Backend? backend = null)
    {
        while (true)
        {
            if (TryCreate(RandomNumberGenerator.GetBytes(32), backend ?? Secp256k1.Default) is { } key)
            {
                return key;
            }
        }
    }

    /// <summary>A key from its 32-byte private scalar in hex (with or without 0x).</summary>
    public static NodeKey FromPrivateKeyHex(string hex, ISecp256k1Backend? backend = null)
    {
        byte[] bytes;
        try
        {
            bytes = HexText.Decode(hex.Trim()); // a key file's or flag's line
        }
        catch (FormatException e)
        {
            throw new ArgumentException("a private key is 32 bytes in hex", nameof(hex), e);
        }

        return (bytes.Length == 32 ? TryCreate(bytes, backend ?? Secp256k1.Default) : null)
               ?? throw new ArgumentException("not a valid secp256k1 private key", nameof(hex));
    }

    /// <summary>The private key as 0x-hex, for the key file only.</summary>
    public string ExportPrivateKeyHex() => "0x" + Convert.ToHexStringLower(_secret);

    public MessageSignature Sign(ReadOnlySpan<byte> message)
    {
        var digest = Keccak.Hash(message);
        return new MessageSignature("0x" + Convert.ToHexStringLower(digest), SignDigest(digest));
    }

    /// <summary>Signs a 32-byte digest as-is (for EIP-712 typed data, whose digest the caller computes).</summary>
    public string SignDigest(ReadOnlySpan<byte> digest)
    {
        Span<byte> output = stackalloc byte[65];
        if (!_backend.TrySign(_secret, digest, output[..64], out var recoveryId))
        {
            throw new CryptographicException("secp256k1 signing failed");
        }

        output[64] = (byte)(27 + recoveryId);
        return "0x" + Convert.ToHexStringLower(output);
    }

    private static NodeKey? TryCreate(byte[] secret, ISecp256k1Backend backend)
    {
        var publicKey = new byte[65];
        return backend.TryCreatePublicKey(secret, publicKey)
            ? new NodeKey(secret, publicKey, EthereumAddress.FromUncompressedPublicKey(publicKey), backend)
            : null;
    }
}
