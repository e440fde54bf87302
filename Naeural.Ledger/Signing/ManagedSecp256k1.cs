using System.Security.Cryptography;
using NBitcoin.Secp256k1;

namespace Naeural.Ledger.Signing;

/// <summary>secp256k1 in managed code (NBitcoin.Secp256k1, a port of libsecp256k1): no native dependency.</summary>
public sealed class ManagedSecp256k1 : ISecp256k1Backend
{
    public string Name => "managed (NBitcoin.Secp256k1)";

    public bool TryCreatePublicKey(ReadOnlySpan<byte> privateKey, Span<byte> publicKey65)
    {
        if (!ECPrivKey.TryCreate(privateKey, out var key))
        {
            return false;
        }

        key.CreatePubKey().WriteToSpan(false, publicKey65, out _);
        return true;
    }

    public bool TrySign(ReadOnlySpan<byte> privateKey, ReadOnlySpan<byte> digest, Span<byte> compact64, out int recoveryId)
    {
        recoveryId = -1;
        if (!ECPrivKey.TryCreate(privateKey, out var key) || !key.TrySignRecoverable(digest, out var signature) || signature is null)
        {
            return false;
        }

        signature.WriteToSpanCompact(compact64, out recoveryId);
        return true;
    }

    public bool TryRecover(ReadOnlySpan<byte> compact64, int recoveryId, ReadOnlySpan<byte> digest, Span<byte> publicKey65)
    {
        if (!SecpRecoverableECDSASignature.TryCreateFromCompact(compact64, recoveryId, out var signature)
            || signature is null
            || !ECPubKey.TryRecover(Context.Instance, signature, digest, out var publicKey)
            || publicKey is null)
        {
            return false;
        }

        publicKey.WriteToSpan(false, publicKey65, out _);
        return true;
    }

    public bool TryAgree(ReadOnlySpan<byte> privateKey, ReadOnlySpan<byte> publicKey, Span<byte> secret32)
    {
        if (secret32.Length < 32 || !ECPrivKey.TryCreate(privateKey, out var key) || !ECPubKey.TryCreate(publicKey, Context.Instance, out _, out var other))
        {
            return false;
        }

        using (key)
        {
            Span<byte> point = stackalloc byte[33];
            other.GetSharedPubkey(key).WriteToSpan(true, point, out _);
            System.Security.Cryptography.SHA256.HashData(point, secret32);
            CryptographicOperations.ZeroMemory(point);
            return true;
        }
    }
}
