using System.Security.Cryptography;
using Naeural.Actors.Security;
using Naeural.Ledger.Signing;

namespace Naeural.Ledger.Identity;

/// <summary>
/// A secp256k1 key: a node's identity (its address is the node id) or a developer's (the owner id). Signs the
/// Keccak-256 of a message with a recoverable, low-s signature in Ethereum's r ‖ s ‖ v layout (v = 27/28).
/// </summary>
public sealed class NodeKey : IMessageSigner
{
    private readonly byte[] _secret;
    private readonly ISecp256k1Backend _backend;

    private NodeKey(byte[] secret, string address, ISecp256k1Backend backend)
    {
        _secret = secret;
        _backend = backend;
        Address = address;
    }

    public string Address { get; }

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
        var trimmed = hex.Trim();
        byte[] bytes;
        try
        {
            bytes = Convert.FromHexString(trimmed.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? trimmed[2..] : trimmed);
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
        Span<byte> publicKey = stackalloc byte[65];
        return backend.TryCreatePublicKey(secret, publicKey)
            ? new NodeKey(secret, EthereumAddress.FromUncompressedPublicKey(publicKey), backend)
            : null;
    }
}
