namespace Naeural.Actors.Security;

/// <summary>Signs messages with a node's or a developer's key. The kernel only sees this interface; the crypto lives in Naeural.Ledger.</summary>
public interface IMessageSigner
{
    /// <summary>The signer's address (0x-prefixed, EIP-55 checksummed): also its node id or owner id.</summary>
    string Address { get; }

    /// <summary>Digests <paramref name="message"/> and signs the digest.</summary>
    MessageSignature Sign(ReadOnlySpan<byte> message);
}
