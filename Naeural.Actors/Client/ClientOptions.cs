namespace Naeural.Actors.Client;

/// <summary>Settings of a <see cref="NaeuralClient"/>.</summary>
public sealed record ClientOptions
{
    /// <summary>How long a request waits for the node's answer.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The interface a connected client's own actor system listens on (replies come back to it).</summary>
    public string Hostname { get; init; } = "127.0.0.1";

    /// <summary>Extra message types the client may send or receive, beyond the kernel's.</summary>
    public IReadOnlyList<Type> ExtraMessageTypes { get; init; } = [];
}
