namespace Naeural.Actors.Pipelines;

/// <summary>How pipelines behave on this node: one place, with defaults.</summary>
public sealed record PipelineSettings
{
    /// <summary>A command older (or further in the future) than this is stale; nonces are remembered this long.</summary>
    public TimeSpan CommandFreshness { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// The network this node is on (<c>--network-id</c>): commands must be signed for it, and the node signs its payloads and
    /// receipts for it. Set by the host from the node's options.
    /// </summary>
    public string NetworkId { get; init; } = Security.NetworkIds.Default;

    /// <summary>The most signed objects a front door remembers (by signer and nonce) within <see cref="CommandFreshness"/> to refuse replays.</summary>
    public int ReplayMemory { get; init; } = 100_000;

    /// <summary>How long a deploy waits for every plugin instance to initialise before the sender is told it timed out.</summary>
    public TimeSpan DeployTimeout { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>
    /// Back-pressure window: how many frames the capture may run ahead of the slowest plugin instance. Keep it below the
    /// instances' <c>MAX_INPUTS_QUEUE_SIZE</c> (default 1000) so pull sources never cause drops.
    /// </summary>
    public int CaptureWindow { get; init; } = 512;

    /// <summary>The largest command text accepted.</summary>
    public int MaxCommandBytes { get; init; } = 256 * 1024;

    /// <summary>Unacknowledged payloads an outbox keeps; beyond, the oldest are dropped, counted and reported.</summary>
    public int MaxUnackedPayloads { get; init; } = 10_000;

    /// <summary>
    /// How long an outbox keeps the acknowledgement cursor of a subscription whose relay went away (the subscriber may come
    /// back, from another node, and continue from it); meanwhile the other subscriptions' acknowledgements do not make the
    /// outbox forget what it has not acknowledged.
    /// </summary>
    public TimeSpan SubscriptionLinger { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>The most subscriptions (cursors) one outbox keeps; a new one beyond makes room by dropping the longest gone.</summary>
    public int MaxSubscriptions { get; init; } = 64;

    /// <summary>A distributed job re-sends each share whose partial has not arrived this often (a live worker just says it still runs).</summary>
    public TimeSpan JobShareTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The most rows a distributed job's <c>INPUT</c> may have (the command size limit applies too).</summary>
    public int MaxJobRows { get; init; } = 100_000;

    /// <summary>The most shares (<c>WORKERS</c>) a distributed job may be split into.</summary>
    public int MaxJobWorkers { get; init; } = 64;

    /// <summary>Events between two snapshots of a pipeline, instance or outbox.</summary>
    public int SnapshotEvery { get; init; } = 200;
}
