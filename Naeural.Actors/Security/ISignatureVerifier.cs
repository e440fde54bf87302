namespace Naeural.Actors.Security;

/// <summary>Checks signatures made by an <see cref="IMessageSigner"/>.</summary>
public interface ISignatureVerifier
{
    /// <summary>The address whose key made <paramref name="signature"/> over <paramref name="message"/>, or null if it is malformed.</summary>
    string? RecoverSigner(ReadOnlySpan<byte> message, string signature);

    /// <summary>
    /// The address and public key of the key that made <paramref name="signature"/> over <paramref name="message"/>, or null
    /// if it is malformed or this verifier does not recover keys (what payload encryption needs: the other party's key, learnt
    /// from its signature rather than trusted from a field sent in clear).
    /// </summary>
    SignerKey? RecoverSignerKey(ReadOnlySpan<byte> message, string signature) => null;

    /// <summary>True when <paramref name="signature"/> over <paramref name="message"/> was made by <paramref name="expectedAddress"/>'s key.</summary>
    bool Verify(ReadOnlySpan<byte> message, string signature, string expectedAddress) =>
        RecoverSigner(message, signature) is { } signer
        && AccountAddress.Same(signer, expectedAddress);
}

/// <summary>A recovered signer: its address and its public key (65 bytes, uncompressed: 0x04 ‖ X ‖ Y).</summary>
public sealed record SignerKey(string Address, byte[] PublicKey);
