using Naeural.Actors.Security;

namespace Naeural.Actors.Client;

/// <summary>Settings of a <see cref="NaeuralClient"/>.</summary>
public sealed record ClientOptions
{
    /// <summary>How long a request waits for the node's answer (a deploy waits for every plugin instance to start).</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The interface a connected client's own actor system listens on (replies come back to it).</summary>
    public string Hostname { get; init; } = "127.0.0.1";

    /// <summary>Extra message types the client may send or receive, beyond the kernel's.</summary>
    public IReadOnlyList<Type> ExtraMessageTypes { get; init; } = [];

    /// <summary>Checks the node's signature on every payload; without one, payloads arrive marked unverified.</summary>
    public ISignatureVerifier? Verifier { get; init; }

    /// <summary>The log level of a connected client's own actor system (the CLI uses ERROR: shutdown chatter is not news).</summary>
    public string LogLevel { get; init; } = "WARNING";

    /// <summary>How often a subscription acknowledges what it has delivered (the node's outbox then forgets it).</summary>
    public TimeSpan AckInterval { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>How long a subscription waits for a missing sequence number before asking for a resend.</summary>
    public TimeSpan GapTimeout { get; init; } = TimeSpan.FromSeconds(1);
}
