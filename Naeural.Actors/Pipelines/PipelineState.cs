using System.Collections.Immutable;

namespace Naeural.Actors.Pipelines;

/// <summary>
/// What a pipeline entity knows, changed only by applying events: owner, spec, status, version and the nonces of the
/// commands accepted within the freshness window (older ones can't be replayed anyway: they are stale).
/// </summary>
public sealed record PipelineState(
    string? Owner,
    PipelineSpec? Spec,
    PipelineStatus Status,
    long Version,
    ImmutableDictionary<string, long> RecentNonces)
{
    public static PipelineState Empty { get; } = new(null, null, PipelineStatus.None, 0, ImmutableDictionary<string, long>.Empty);

    /// <summary>The owner's public key (0x-hex), learnt from its signed create; what encrypted payloads are sealed for.</summary>
    public string? OwnerPublicKey { get; init; }

    public bool Exists => Status != PipelineStatus.None;

    public PipelineState Stamped(CommandStamp stamp, TimeSpan window) => this with
    {
        Version = Version + 1,
        RecentNonces = RecentNonces
            // Twice the window: a command's TIME may be off by up to the window either way, so pruning by one command's
            // claimed time must not forget a nonce that another could still replay.
            .Where(n => n.Value >= stamp.TimeMs - (2 * (long)window.TotalMilliseconds))
            .ToImmutableDictionary()
            .SetItem(stamp.Nonce, stamp.TimeMs),
    };

    public PipelineSnapshot ToSnapshot() => new(Owner, Spec?.Json, Status, Version, RecentNonces, OwnerPublicKey);
}
