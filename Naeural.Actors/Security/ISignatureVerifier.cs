namespace Naeural.Actors.Security;

/// <summary>Checks signatures made by an <see cref="IMessageSigner"/>.</summary>
public interface ISignatureVerifier
{
    /// <summary>The address whose key made <paramref name="signature"/> over <paramref name="message"/>, or null if it is malformed.</summary>
    string? RecoverSigner(ReadOnlySpan<byte> message, string signature);

    /// <summary>True when <paramref name="signature"/> over <paramref name="message"/> was made by <paramref name="expectedAddress"/>'s key.</summary>
    bool Verify(ReadOnlySpan<byte> message, string signature, string expectedAddress) =>
        RecoverSigner(message, signature) is { } signer
        && string.Equals(signer, expectedAddress, StringComparison.OrdinalIgnoreCase);
}
