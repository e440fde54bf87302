namespace Naeural.Actors.Security;

/// <summary>
/// The signature verifier a client uses when its options name none. The kernel has no secp256k1 of its own: the assembly
/// that has one (Naeural.Ledger) registers it here when it is loaded, which it is in every process that holds a developer's
/// key (<c>NodeKey</c>) or runs a node. Without any, a subscription refuses to start rather than deliver unchecked payloads.
/// </summary>
public static class SignatureVerifiers
{
    private static ISignatureVerifier? _default;

    /// <summary>The registered verifier, or null when no assembly registered one.</summary>
    public static ISignatureVerifier? Default => Volatile.Read(ref _default);

    /// <summary>Registers <paramref name="verifier"/> as the default (the first registration wins).</summary>
    public static void Register(ISignatureVerifier verifier) => Interlocked.CompareExchange(ref _default, verifier, null);

    /// <summary>
    /// <paramref name="configured"/>, else the registered default; throws, naming the setting, when there is neither.
    /// </summary>
    public static ISignatureVerifier Resolve(ISignatureVerifier? configured) =>
        configured ?? Default ?? throw new InvalidOperationException(
            "ClientOptions.Verifier is not set and no default signature verifier is registered: payloads are always verified, "
            + "so set ClientOptions.Verifier (e.g. new Naeural.Ledger.Signing.Secp256k1Verifier()) or reference Naeural.Ledger");
}
