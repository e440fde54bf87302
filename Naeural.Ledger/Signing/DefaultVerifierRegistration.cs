using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using Naeural.Actors.Security;

namespace Naeural.Ledger.Signing;

/// <summary>Registers <see cref="Secp256k1Verifier"/> as the kernel's default verifier as soon as this assembly is loaded.</summary>
internal static class DefaultVerifierRegistration
{
    [ModuleInitializer]
    [SuppressMessage("Usage", "CA2255", Justification = "The kernel's clients must verify payloads by default; it cannot reference this assembly, so this assembly registers its verifier.")]
    internal static void Register() => SignatureVerifiers.Register(new Secp256k1Verifier());
}
