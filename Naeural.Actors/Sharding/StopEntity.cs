using Naeural.Actors.Serialization;

namespace Naeural.Actors.Sharding;

/// <summary>
/// How persistent entities are stopped (passivation and shard hand-off) instead of <c>PoisonPill</c>: as an ordinary
/// command it waits behind a persist that is in flight, so a write and its reply are never cut off.
/// </summary>
[WireName("sharding.stop-entity")]
public sealed record StopEntity
{
    public static StopEntity Instance { get; } = new();
}
