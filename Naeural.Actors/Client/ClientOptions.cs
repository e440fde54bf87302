using Naeural.Actors.Security;

namespace Naeural.Actors.Client;

/// <summary>Settings of a <see cref="NaeuralClient"/>.</summary>
public sealed record ClientOptions
{
    /// <summary>
    /// The network the client signs for (<c>EE_NETWORK</c> of every command): the nodes' <c>--network-id</c>. A node of another
    /// network refuses its commands (<c>WRONG_NETWORK</c>), and it refuses that network's payloads and receipts.
    /// </summary>
    public string NetworkId { get; init; } = NetworkIds.Default;

    /// <summary>How long a request waits for the node's answer (a deploy waits for every plugin instance to start).</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The interface a connected client's own actor system listens on (replies come back to it).</summary>
    public string Hostname { get; init; } = "127.0.0.1";

    /// <summary>Extra message types the client may send or receive, beyond the kernel's.</summary>
    public IReadOnlyList<Type> ExtraMessageTypes { get; init; } = [];

    /// <summary>
    /// Checks the node's signature on every payload. Unset: the default one registered by Naeural.Ledger (secp256k1), loaded
    /// wherever a developer key (<c>NodeKey</c>) is; with neither, subscribing fails. Payloads that fail the check are never delivered.
    /// </summary>
    public ISignatureVerifier? Verifier { get; init; }

    /// <summary>
    /// Opens payloads sealed for the developer (pipelines with <c>ENCRYPT_PAYLOADS</c>). Unset: the developer key the client
    /// signs with, when it can (a <c>NodeKey</c> can). A payload that does not open is reported, not delivered.
    /// </summary>
    public IPayloadCipher? Decryptor { get; init; }

    /// <summary>
    /// TLS for a connected client's remoting (<see cref="NaeuralClient.Connect"/>), needed to talk to nodes that run TLS
    /// (<see cref="RemotingTls.ForClient"/>): the client's certificate must be one the nodes trust (their CA or pins), and a node's
    /// certificate is trusted only if its node-key binding proves one of the node ids given there. Unset: plain TCP.
    /// </summary>
    public RemotingTls? Tls { get; init; }

    /// <summary>The largest message a connected client sends or accepts (the nodes' serializer cap; a bigger command is refused before it is sent).</summary>
    public long MaxMessageBytes { get; init; } = Serialization.SerializationConfig.DefaultMaxMessageBytes;

    /// <summary>The log level of a connected client's own actor system (the CLI uses ERROR: shutdown chatter is not news).</summary>
    public string LogLevel { get; init; } = "WARNING";

    /// <summary>How often a subscription acknowledges what it has delivered (the node's outbox then forgets it).</summary>
    public TimeSpan AckInterval { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>How long a subscription waits for a missing sequence number before asking for a resend.</summary>
    public TimeSpan GapTimeout { get; init; } = TimeSpan.FromSeconds(1);
}
