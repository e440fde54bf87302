namespace Naeural.Actors.Security;

/// <summary>A signature over a message's canonical bytes: the digest that was signed and the 65-byte recoverable signature (0x-hex, r‖s‖v).</summary>
public sealed record MessageSignature(string Hash, string Signature);
