using Akka.Actor;
using Akka.Cluster.Sharding;
using Akka.Hosting;
using Naeural.Actors.Api;
using Naeural.Actors.Jobs;
using Naeural.Actors.Metering;
using Naeural.Actors.Network;
using Naeural.Actors.Nodes;
using Naeural.Actors.Pipelines;
using Naeural.Actors.Placement;
using Naeural.Actors.Plugins;
using Naeural.Actors.Replication;
using Naeural.Actors.Security;
using Naeural.Actors.Sharding;

namespace Naeural.Actors.Hosting;

/// <summary>
/// The kernel's part of a node's actor system, registered by the kernel itself: the work meter, the network view and this
/// node's heartbeat, placement, its share of the pipelines, the sharded entities (nodes, pipelines, plugin instances, jobs)
/// and the pipeline directory (<see cref="AddNaeuralKernel"/>); then, once every project has registered its actors, the
/// front door (<see cref="AddNaeuralFrontDoor"/>). Each actor is registered in the actor registry under its own type.
/// </summary>
public static class KernelHosting
{
    /// <summary>What peers may select on this node of the kernel's actors (each takes only its wire messages, checked by itself).</summary>
    public static IReadOnlyList<string> SelectablePaths { get; } =
    [
        NodeApi.Path,
        WorkMeterEndpoint.Path, // signed reads of receipts and billed totals
        "/user/" + ResourcePublisher.Name, // answers a reader's address challenge (ProveAddress): the only wire type it takes
        PlacementAdvisor.Path, // a home's advisor: takes owner-signed creates it fits (HostPipeline, WakePipeline)
        PipelineReplica.Path, // a member's share of the pipelines: owner-signed history, payloads only from their host
        PipelineDirectory.Path, // answers what this node hosts (ListHostedPipelines), each summary signed by this node
        .. CoordinatorPaths(NodeEntity.TypeName), .. CoordinatorPaths(PipelineEntity.TypeName),
        .. CoordinatorPaths(PluginInstanceEntity.TypeName), .. CoordinatorPaths(JobShareWorker.TypeName),
        .. CoordinatorPaths(DistributedJobEntity.TypeName),
    ];

    /// <summary>A sharded entity type's coordinator (its singleton manager and the singleton): other members' regions select it.</summary>
    public static IEnumerable<string> CoordinatorPaths(string typeName) =>
        [$"/system/sharding/{typeName}Coordinator", $"/system/sharding/{typeName}Coordinator/singleton/coordinator"];

    /// <summary>Registers the kernel's actors: the meter first (remembered pipelines report work as soon as they wake up).</summary>
    public static AkkaConfigurationBuilder AddNaeuralKernel(this AkkaConfigurationBuilder builder, KernelSetup setup) =>
        builder.WithActors((system, registry) =>
        {
            var pipelines = setup.Pipelines;
            var board = pipelines.Board;
            registry.Register<WorkMeter>(system.ActorOf(NodeSupervision.Restarting(
                WorkMeter.Props(setup.Identity.Address, setup.Identity, setup.PricePerUnit, setup.Metering, TimeProvider.System), "meter"),
                WorkMeterEndpoint.Name));
            var view = system.ActorOf(NetworkView.Props(pipelines.Verifier, setup.Gossip), NetworkView.Name);
            registry.Register<NetworkView>(view);
            registry.Register<PlacementAdvisor>(system.ActorOf(PlacementAdvisor.Props(view, setup.Placement, board, pipelines), PlacementAdvisor.Name));

            // Every member holds its share of the pipelines (owner-signed history, unacknowledged payloads) in its own store.
            if (pipelines.Replicated)
            {
                var store = (setup.ReplicaStore ?? throw new InvalidOperationException("replicated pipelines need KernelSetup.ReplicaStore"))();
                if (store is IDisposable disposable)
                {
                    system.RegisterOnTermination(disposable.Dispose);
                }

                registry.Register<PipelineReplica>(system.ActorOf(PipelineReplica.Props(store, view, board, pipelines, setup.Replication), PipelineReplica.Name));
            }

            // Each node's record on the node itself (its own store), reachable by node id from any member.
            var sharding = ClusterSharding.Get(system);
            var nodes = sharding.Start(NodeEntity.TypeName, NodeEntity.Props,
                ClusterShardingSettings.Create(system).WithStateStoreMode(StateStoreMode.DData),
                new NodeEntityMessageExtractor(), new NodeHomeAllocationStrategy(system, board), StopEntity.Instance);
            registry.Register<NodeEntity>(nodes);

            // Plugin instances first: a pipeline entity that wakes up (remembered) configures its instances at once.
            registry.Register<PluginInstanceEntity>(sharding.Start(PluginInstanceEntity.TypeName,
                id => PluginInstanceEntity.Props(id, pipelines), ClusterShardingSettings.Create(system),
                new PluginInstanceMessageExtractor(), new ColocatedAllocationStrategy(system, board), StopEntity.Instance));
            registry.Register<PipelineEntity>(sharding.Start(PipelineEntity.TypeName,
                id => PipelineEntity.Props(id, pipelines), PipelineShardingSettings(system, setup.CoordinatorJournal),
                new PipelineMessageExtractor(), new PipelineAllocationStrategy(system, board, setup.Placement), StopEntity.Instance));

            // Distributed jobs: each job on the node that took its command, its shares spread over distinct nodes.
            registry.Register<JobShareWorker>(sharding.Start(JobShareWorker.TypeName,
                _ => JobShareWorker.Props(pipelines), ClusterShardingSettings.Create(system),
                new JobShareMessageExtractor(), new ShareSpreadAllocationStrategy(system, view), PoisonPill.Instance));
            registry.Register<DistributedJobEntity>(sharding.Start(DistributedJobEntity.TypeName,
                id => DistributedJobEntity.Props(id, pipelines), ClusterShardingSettings.Create(system),
                new JobMessageExtractor(), new RequesterAllocationStrategy(), StopEntity.Instance));

            registry.Register<ResourcePublisher>(system.ActorOf(
                ResourcePublisher.Props(setup.Identity, setup.Offer, setup.Probe, nodes, setup.Gossip), ResourcePublisher.Name));
            registry.Register<PipelineDirectory>(system.ActorOf(
                PipelineDirectory.Props(setup.Identity, pipelines.Verifier, pipelines.Settings.NetworkId), PipelineDirectory.Name));
        });

    /// <summary>
    /// The node's front door (<see cref="NodeApi"/>), registered after every project's actors: it hands signed reads to the
    /// kernel's (<see cref="KernelReads"/>) and to those <paramref name="moreReads"/> finds in the registry (the ledger's billing).
    /// </summary>
    public static AkkaConfigurationBuilder AddNaeuralFrontDoor(
        this AkkaConfigurationBuilder builder,
        PipelineServices pipelines,
        Func<IReadOnlyActorRegistry, IEnumerable<KeyValuePair<string, SignedReader>>> moreReads) =>
        builder.WithActors((system, registry) =>
        {
            var directory = registry.Get<PipelineDirectory>();
            var reads = new Dictionary<string, SignedReader>([.. KernelReads.For(registry.Get<WorkMeter>(), directory), .. moreReads(registry)]);
            registry.Register<NodeApi>(system.ActorOf(NodeApi.Props(new NodeApiTargets(registry.Get<NetworkView>(), directory,
                registry.Get<PlacementAdvisor>(), registry.Get<DistributedJobEntity>(), reads), pipelines), NodeApi.Name));
        });

    /// <summary>
    /// Pipelines: remembered entities; the coordinator's shard homes event-sourced, one small event per allocation (Akka's
    /// distributed-data store rewrites its whole state, every pipeline's home, to a majority for each), in
    /// <paramref name="journal"/> (the journal the oldest member's singletons replicate to a majority on local stores, so a
    /// new coordinator finds them wherever it starts) or the default one (a shared PostgreSQL journal).
    /// </summary>
    public static ClusterShardingSettings PipelineShardingSettings(ActorSystem system, CoordinatorJournal? journal)
    {
        var settings = ClusterShardingSettings.Create(system).WithRememberEntities(true).WithStateStoreMode(StateStoreMode.Persistence);
        return journal is null ? settings : settings.WithJournalPluginId(journal.JournalPluginId).WithSnapshotPluginId(journal.SnapshotPluginId);
    }
}
