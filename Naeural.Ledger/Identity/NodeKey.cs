using System.Security.Cryptography;
using NBitcoin.Secp256k1;
using Naeural.Actors.Security;
using Naeural.Ledger.Signing;

namespace Naeural.Ledger.Identity;

/// <summary>
/// A secp256k1 key: a node's identity (its address is the node id) or a developer's (the owner id). Signs the
/// Keccak-256 of a message with a recoverable, low-s signature in Ethereum's r ‖ s ‖ v layout (v = 27/28).
/// </summary>
public sealed class NodeKey : IMessageSigner
{
    private readonly ECPrivKey _key;

    private NodeKey(ECPrivKey key, string address)
    {
        _key = key;
        Address = address;
    }

    public string Address { get; }

    /// <summary>A fresh key from the OS's cryptographic random source.</summary>
    public static NodeKey Generate()
    {
        while (true)
        {
            var secret = RandomNumberGenerator.GetBytes(32);
            if (ECPrivKey.TryCreate(secret, out var key))
            {
                return FromKey(key);
            }
        }
    }

    /// <summary>A key from its 32-byte private scalar in hex (with or without 0x).</summary>
    public static NodeKey FromPrivateKeyHex(string hex)
    {
        var trimmed = hex.Trim();
        var bytes = Convert.FromHexString(trimmed.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? trimmed[2..] : trimmed);
        return ECPrivKey.TryCreate(bytes, out var key)
            ? FromKey(key)
            : throw new ArgumentException("not a valid secp256k1 private key", nameof(hex));
    }

    /// <summary>The private key as 0x-hex, for the key file only.</summary>
    public string ExportPrivateKeyHex()
    {
        Span<byte> secret = stackalloc byte[32];
        _key.WriteToSpan(secret);
        return "0x" + Convert.ToHexStringLower(secret);
    }

    public MessageSignature Sign(ReadOnlySpan<byte> message)
    {
        var digest = Keccak.Hash(message);
        return new MessageSignature("0x" + Convert.ToHexStringLower(digest), SignDigest(digest));
    }

    /// <summary>Signs a 32-byte digest as-is (for EIP-712 typed data, whose digest the caller computes).</summary>
    public string SignDigest(ReadOnlySpan<byte> digest)
    {
        if (!_key.TrySignRecoverable(digest, out var signature) || signature is null)
        {
            throw new CryptographicException("secp256k1 signing failed");
        }

        Span<byte> output = stackalloc byte[65];
        signature.WriteToSpanCompact(output[..64], out var recoveryId);
        output[64] = (byte)(27 + recoveryId);
        return "0x" + Convert.ToHexStringLower(output);
    }

    private static NodeKey FromKey(ECPrivKey key)
    {
        Span<byte> publicKey = stackalloc byte[65];
        key.CreatePubKey().WriteToSpan(false, publicKey, out _);
        return new NodeKey(key, EthereumAddress.FromUncompressedPublicKey(publicKey));
    }
}
