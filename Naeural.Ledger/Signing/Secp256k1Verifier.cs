using Naeural.Actors.Security;

namespace Naeural.Ledger.Signing;

/// <summary>
/// Verifies Ethereum-style recoverable signatures (r ‖ s ‖ v, v = 27/28 or 0/1) over the Keccak-256 of a message, by
/// recovering the signer's public key (libsecp256k1 when present, see <see cref="Secp256k1"/>). High-s signatures are
/// refused, so a signature has one valid encoding and can't be replayed in a second form.
/// </summary>
public sealed class Secp256k1Verifier(ISecp256k1Backend? backend = null) : ISignatureVerifier
{
    // n / 2 of secp256k1, big-endian.
    private static readonly byte[] HalfOrder = Convert.FromHexString("7FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF5D576E7357A4501DDFE92F46681B20A0");

    private readonly ISecp256k1Backend _backend = backend ?? Secp256k1.Default;

    public string? RecoverSigner(ReadOnlySpan<byte> message, string signature) =>
        RecoverFromDigest(Keccak.Hash(message), signature);

    public SignerKey? RecoverSignerKey(ReadOnlySpan<byte> message, string signature)
    {
        var publicKey = new byte[65];
        return TryRecoverKey(Keccak.Hash(message), signature, publicKey)
            ? new SignerKey(EthereumAddress.FromUncompressedPublicKey(publicKey), publicKey)
            : null;
    }

    /// <summary>The signer of a 32-byte digest, or null when the signature is malformed or doesn't recover.</summary>
    public string? RecoverFromDigest(ReadOnlySpan<byte> digest, string signature)
    {
        Span<byte> publicKey = stackalloc byte[65];
        return TryRecoverKey(digest, signature, publicKey) ? EthereumAddress.FromUncompressedPublicKey(publicKey) : null;
    }

    private bool TryRecoverKey(ReadOnlySpan<byte> digest, string signature, Span<byte> publicKey)
    {
        if (!TryDecode(signature, out var bytes))
        {
            return false;
        }

        var v = bytes[64];
        var recoveryId = v >= 27 ? v - 27 : v;
        return recoveryId is >= 0 and <= 1
               && bytes.AsSpan(32, 32).SequenceCompareTo(HalfOrder) <= 0
               && _backend.TryRecover(bytes.AsSpan(0, 64), recoveryId, digest, publicKey);
    }

    private static bool TryDecode(string signature, out byte[] bytes) => HexText.TryDecode(signature, 65, out bytes);
}
