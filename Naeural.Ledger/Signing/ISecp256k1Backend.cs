namespace Naeural.Ledger.Signing;

/// <summary>
/// Recoverable ECDSA and ECDH over secp256k1, the operations Naeural needs: derive a public key, sign a 32-byte digest
/// (RFC 6979 nonces, low-s), recover the signer's public key, agree on a shared secret with another key (payload encryption). Two implementations: <see cref="NativeSecp256k1"/>
/// (libsecp256k1, several times faster) and <see cref="ManagedSecp256k1"/> (NBitcoin's C# port, always there).
/// </summary>
public interface ISecp256k1Backend
{
    string Name { get; }

    /// <summary>Writes the 65-byte uncompressed public key (0x04 ‖ X ‖ Y) of <paramref name="privateKey"/>.</summary>
    bool TryCreatePublicKey(ReadOnlySpan<byte> privateKey, Span<byte> publicKey65);

    /// <summary>Signs <paramref name="digest"/>: r ‖ s into <paramref name="compact64"/>, and the recovery id (0 or 1).</summary>
    bool TrySign(ReadOnlySpan<byte> privateKey, ReadOnlySpan<byte> digest, Span<byte> compact64, out int recoveryId);

    /// <summary>Recovers the 65-byte uncompressed public key that made the signature over <paramref name="digest"/>.</summary>
    bool TryRecover(ReadOnlySpan<byte> compact64, int recoveryId, ReadOnlySpan<byte> digest, Span<byte> publicKey65);

    /// <summary>
    /// ECDH: the secret <paramref name="privateKey"/> × <paramref name="publicKey"/> (33 or 65 bytes) share, as libsecp256k1's
    /// default: SHA-256 of the shared point in compressed form (0x02/0x03 ‖ X). Constant time in the private key.
    /// </summary>
    bool TryAgree(ReadOnlySpan<byte> privateKey, ReadOnlySpan<byte> publicKey, Span<byte> secret32);
}

/// <summary>The backend this process uses: libsecp256k1 when the OS has it, else the managed one.</summary>
public static class Secp256k1
{
    public static ISecp256k1Backend Default { get; } = (ISecp256k1Backend?)NativeSecp256k1.TryCreate() ?? new ManagedSecp256k1();
}
