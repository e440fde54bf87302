using System.Collections.Immutable;
using Naeural.Actors.Serialization;

namespace Naeural.Actors.Nodes;

/// <summary>A GPU a node offers; absent on CPU-only nodes.</summary>
[WireName("nodes.gpu-info")]
public sealed record GpuInfo(string Name, long MemoryMb);

/// <summary>
/// What a node offers the network right now: its heartbeat. Every node publishes its own into the replicated network
/// map every few seconds and whenever it changes; every member reads everyone's.
/// </summary>
/// <param name="NodeId">The node's Ethereum address (its identity key).</param>
/// <param name="AkkaAddress">Where the node's actor system listens.</param>
/// <param name="Sequence">Increases with every heartbeat the node publishes.</param>
/// <param name="OfferedModels">Models the node can serve (it loads them on first use).</param>
/// <param name="PricePerUnit">What the node charges per unit of work, in the ledger's smallest token unit.</param>
/// <param name="PayloadsEmitted">Payloads this node's outboxes have persisted since it started (a running count).</param>
/// <param name="Secured">
/// The node is secured: it runs work only for <paramref name="AllowedOwners"/> and its operator, so an empty list admits
/// nobody else (unsecured, an empty list admits everyone).
/// </param>
[WireName("nodes.node-resources")]
public sealed record NodeResources(
    string NodeId,
    string AkkaAddress,
    string Alias,
    int Cores,
    long TotalMemoryMb,
    long FreeMemoryMb,
    double CpuLoad,
    GpuInfo? Gpu,
    ImmutableArray<string> Models,
    ImmutableArray<string> Pipelines,
    ImmutableArray<string> Tags,
    ImmutableArray<string> AllowedOwners,
    long PricePerUnit,
    long Sequence,
    DateTimeOffset UpdatedAt,
    ImmutableArray<string> OfferedModels = default,
    long PayloadsEmitted = 0,
    bool Secured = false)
{
    /// <summary>Models the node can serve (loads on first use), besides those it has loaded (<see cref="Models"/>).</summary>
    public ImmutableArray<string> OfferedModels { get; init; } = OfferedModels.IsDefault ? [] : OfferedModels;

    /// <summary>When the node was first recorded on the network (its <see cref="NodeEntity"/>, kept in its own store), if known.</summary>
    public DateTimeOffset? Since { get; init; }

    /// <summary>True when the node runs work for <paramref name="owner"/>, by the rule its own front door applies (<see cref="Security.AccessRule"/>).</summary>
    public bool Allows(string owner) =>
        Security.AccessRule.Admits(Secured, AllowedOwners.IsDefault ? [] : AllowedOwners, NodeId, owner);
}
