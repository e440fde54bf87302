using System.Collections.Frozen;
using System.Text.Json.Nodes;

namespace Naeural.Actors.Security;

/// <summary>
/// Signed JSON messages in the original's layout: the sender's address in <c>EE_SENDER</c>, the digest in <c>EE_HASH</c>
/// and the signature in <c>EE_SIGN</c>, all three over the canonical form of the rest of the object.
/// </summary>
public static class SignedJson
{
    public const string SenderField = "EE_SENDER";
    public const string HashField = "EE_HASH";
    public const string SignatureField = "EE_SIGN";

    private static readonly FrozenSet<string> EnvelopeFields =
        new[] { SenderField, HashField, SignatureField }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>A signed copy of <paramref name="message"/> (the original is left untouched).</summary>
    public static JsonObject Sign(JsonObject message, IMessageSigner signer)
    {
        var copy = (JsonObject)message.DeepClone();
        foreach (var field in EnvelopeFields)
        {
            copy.Remove(field);
        }

        var signature = signer.Sign(CanonicalJson.Serialize(copy));
        copy[SenderField] = signer.Address;
        copy[HashField] = signature.Hash;
        copy[SignatureField] = signature.Signature;
        return copy;
    }

    /// <summary>Checks that the message was signed by the key of its <c>EE_SENDER</c>, and says who that is.</summary>
    public static SignatureCheck Verify(JsonObject message, ISignatureVerifier verifier)
    {
        if (message[SenderField]?.GetValueKind() != System.Text.Json.JsonValueKind.String
            || message[SignatureField]?.GetValueKind() != System.Text.Json.JsonValueKind.String)
        {
            return SignatureCheck.Invalid($"message is not signed: {SenderField} and {SignatureField} are required");
        }

        var sender = message[SenderField]!.GetValue<string>();
        var signature = message[SignatureField]!.GetValue<string>();
        // One recovery gives the address and, where the verifier can, the public key (encryption to the signer needs it).
        var bytes = CanonicalJson.Serialize(message, EnvelopeFields);
        var key = verifier.RecoverSignerKey(bytes, signature);
        var signer = key?.Address ?? verifier.RecoverSigner(bytes, signature);
        if (signer is null)
        {
            return SignatureCheck.Invalid($"{SignatureField} is not a valid signature");
        }

        return AccountAddress.Same(signer, sender)
            ? SignatureCheck.Valid(signer) with { SignerPublicKey = key is null ? null : "0x" + Convert.ToHexStringLower(key.PublicKey) }
            : SignatureCheck.Invalid($"signature does not match {SenderField} {sender}");
    }
}

/// <summary>The outcome of <see cref="SignedJson.Verify"/>: the verified signer, or why not.</summary>
public sealed record SignatureCheck(bool IsValid, string? Signer, string? Error)
{
    /// <summary>The verified signer's public key (0x-hex, 65 bytes uncompressed), when the verifier recovers keys.</summary>
    public string? SignerPublicKey { get; init; }

    public static SignatureCheck Valid(string signer) => new(true, signer, null);

    public static SignatureCheck Invalid(string error) => new(false, null, error);
}
