using Naeural.Actors.Metering;
using Naeural.Actors.Network;
using Naeural.Actors.Nodes;
using Naeural.Actors.Pipelines;
using Naeural.Actors.Placement;
using Naeural.Actors.Replication;
using Naeural.Actors.Security;

namespace Naeural.Actors.Hosting;

/// <summary>What the kernel's actors of one node are made from (<see cref="KernelHosting.AddNaeuralKernel"/>): built by the Host from its settings.</summary>
/// <param name="Identity">The node's key: it signs heartbeats, receipts, directory answers.</param>
/// <param name="Pipelines">What the pipeline, plugin-instance, outbox and job entities need.</param>
/// <param name="Offer">What this node offers the network, gossiped in its heartbeat.</param>
/// <param name="Probe">Reads this machine's resources for the heartbeat.</param>
/// <param name="Gossip">The heartbeat's cadence and network id.</param>
/// <param name="Placement">How the node's advisor and allocation strategies place pipelines.</param>
/// <param name="Metering">The meter's receipt period and network id.</param>
/// <param name="PricePerUnit">What one unit of metered work costs here.</param>
public sealed record KernelSetup(
    IMessageSigner Identity,
    PipelineServices Pipelines,
    NodeOffer Offer,
    IResourceProbe Probe,
    GossipSettings Gossip,
    PlacementSettings Placement,
    MeteringSettings Metering,
    long PricePerUnit)
{
    /// <summary>
    /// Where this member keeps its share of the network's pipelines (made once, disposed with the actor system); null where
    /// pipelines are not replicated (<see cref="PipelineServices.Replicated"/> false: a shared journal holds them).
    /// </summary>
    public Func<ReplicaStore>? ReplicaStore { get; init; }

    /// <summary>How many members hold each pipeline's history and payloads.</summary>
    public ReplicationSettings Replication { get; init; } = ReplicationSettings.Default;

    /// <summary>
    /// The journal and snapshot plugins that keep the pipeline shard coordinator's homes (the oldest member's replicated
    /// journal); null: the node's default journal (a shared PostgreSQL one).
    /// </summary>
    public CoordinatorJournal? CoordinatorJournal { get; init; }
}

/// <summary>A journal plugin and its snapshot store, by their plugin ids.</summary>
public sealed record CoordinatorJournal(string JournalPluginId, string SnapshotPluginId);
