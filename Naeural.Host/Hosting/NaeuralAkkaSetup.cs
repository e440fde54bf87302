using System.Collections.Immutable;
using System.Globalization;
using Akka.Actor;
using Akka.Cluster;
using Akka.Cluster.Hosting;
using Akka.Cluster.Hosting.SBR;
using Akka.Cluster.Sharding;
using Akka.Hosting;
using Akka.Pattern;
using Akka.Remote.Hosting;
using Naeural.Actors.Api;
using Naeural.Actors.Metering;
using Naeural.Actors.Jobs;
using Naeural.Actors.Network;
using Naeural.Actors.Nodes;
using Naeural.Actors.Pipelines;
using Naeural.Actors.Placement;
using Naeural.Actors.Replication;
using Naeural.Actors.Plugins;
using Naeural.Actors.Serialization;
using Naeural.Actors.Sharding;
using Naeural.Inference.Models;
using Naeural.Inference.Serving;
using Naeural.Ledger.Billing;
using Naeural.Ledger.Channels;
using Naeural.Ledger.Epochs;
using Naeural.Ledger.Identity;
using Naeural.Ledger.Licences;
using Naeural.Ledger.Replication;
using Naeural.Actors.Security;
using Naeural.Ledger.Signing;

namespace Naeural.Host.Hosting;

/// <summary>
/// The node's actor system, configured in this one place: remoting, cluster (seed nodes or self-seeding, keep-majority
/// split-brain resolver), the allow-list serializer, persistence, distributed data, the sharded entities, the
/// kernel's actors, the work meter, and the ledger: the embedded ledger as a cluster singleton behind its signature-checking
/// gate, this node's payment channels (a shard region whose one shard per node lives on that node) and its billing.
/// </summary>
public static class NaeuralAkkaSetup
{
    public const string SystemName = "naeural";

    /// <summary>How often replicated data (heartbeats, the pipeline directory) gossips between members.</summary>
    public static readonly TimeSpan DistributedDataGossip = TimeSpan.FromSeconds(1);

    /// <summary>
    /// What peers may reach by actor selection besides Akka's own daemons: the front door and the client-facing actors, the
    /// heartbeat publisher's address challenge, the singleton managers and the sharding coordinators (proxies find them by selection). Anything else is reached only
    /// through a reference a peer was given, and only with a message type on the allow-list.
    /// </summary>
    public static IReadOnlyList<string> TrustedSelectionPaths { get; } =
    [
        NodeApi.Path, LedgerGate.ProxyPath, "/user/" + LedgerGate.SingletonName, $"/user/{LedgerGate.SingletonName}/{LedgerGate.SingletonName}", WorkMeterEndpoint.Path, NodeBilling.Path,
        "/user/" + EpochObserver.Name, "/system/sharding/" + PaymentChannelEntity.TypeName,
        "/user/" + ResourcePublisher.Name, // answers a reader's address challenge (ProveAddress): the only wire type it takes
        LedgerReplica.Path, // the ledger's journal replica: takes writes only signed by the ledger's host (the oldest member's node)
        PlacementAdvisor.Path, // a home's advisor: takes owner-signed creates it fits (HostPipeline, WakePipeline)
        PipelineReplica.Path, // a member's share of the pipelines: owner-signed history, payloads only from their host
        PipelineDirectory.Path, // answers what this node hosts (ListHostedPipelines), each summary signed by this node
        .. new[] { NodeEntity.TypeName, PipelineEntity.TypeName, PluginInstanceEntity.TypeName, JobShareWorker.TypeName,
                DistributedJobEntity.TypeName, PaymentChannelEntity.TypeName }
            .SelectMany(type => new[] { $"/system/sharding/{type}Coordinator", $"/system/sharding/{type}Coordinator/singleton/coordinator" }),
    ];

    public static AkkaConfigurationBuilder AddNaeuralNode(
        this AkkaConfigurationBuilder builder,
        NodeOptions options,
        NodeKey identity,
        PeerAdmission admission,
        IResourceProbe probe,
        PipelineServices pipelines,
        NodeSettlement settlement,
        IEnumerable<Type> extraMessageTypes)
    {
        var seeds = options.SeedList;
        var board = pipelines.Board;
        // The member port admits nodes only; clients are admitted at the client edge (EdgeHost).
        var tls = options.LoadTls(identity, admission) is { } loaded ? NodeOptions.MembersOnly(loaded) : null;
        builder
            .AddHocon(SerializationConfig.For(KernelMessages.Types.Concat(extraMessageTypes), TrustedSelectionPaths, options.MaxMessageBytes, options.WireFormat), HoconAddMode.Prepend)
            .AddHocon(PersistenceConfig.For(options), HoconAddMode.Prepend)
            .AddHocon(InferenceConfig.Hocon, HoconAddMode.Append)
            .AddHocon($$"""
                akka.cluster.sharding.distributed-data.durable.keys = []
                akka.cluster.sharding.passivate-idle-entity-after = off
                akka.cluster.sharding.remember-entities-store = eventsourced
                akka.cluster.failure-detector.heartbeat-interval = {{Ms(HeartbeatInterval(options))}}
                akka.cluster.failure-detector.acceptable-heartbeat-pause = {{options.UnreachableAfterSeconds.ToString(CultureInfo.InvariantCulture)}}s
                akka.cluster.split-brain-resolver.stable-after = {{options.DownAfterSeconds.ToString(CultureInfo.InvariantCulture)}}s
                # Not Akka's "on": a member that saw reachability unsettled for stable-after + 4 s downed every member of
                # the network (one survivor heard the leader's verdict on a crashed member 2 s late). The price, a minority
                # whose view never settles never downs itself: docs/ARCHITECTURE.md, "Placement and failover".
                akka.cluster.split-brain-resolver.down-all-when-unstable = off
                akka.cluster.gossip-interval = {{Ms(MembershipTick(options))}}
                akka.cluster.leader-actions-interval = {{Ms(MembershipTick(options))}}
                akka.cluster.unreachable-nodes-reaper-interval = {{Ms(MembershipTick(options))}}
                akka.cluster.distributed-data.gossip-interval = {{DistributedDataGossip.TotalSeconds}}s
                akka.cluster.distributed-data.notify-subscribers-interval = 200ms
                akka.coordinated-shutdown.exit-clr = off
                # Akka 1.5.73's singleton proxy fires its "failed to find an associated singleton" tick with no initial delay: it
                # warned at every start and every change of oldest member, found or not (HostProcessTests: a quiet start).
                akka.cluster.singleton-proxy.log-singleton-identification-failure = off
                # Akka writes what it logs before its loggers start and after they stop (e.g. "Remoting shut down") on stdout,
                # in its "[INFO][…]" text; with --log-format json every log line must be one JSON object.
                {{(options.Telemetry.IsJson ? $"akka.stdout-logger-class = \"{typeof(JsonStdoutLogger).AssemblyQualifiedName}\"" : "")}}
                """, HoconAddMode.Prepend)
            .ConfigureLoggers(loggers =>
            {
                loggers.ClearLoggers();
                loggers.AddLoggerFactory();
            })
            .WithRemoting(new RemoteOptions
            {
                HostName = options.Hostname,
                PublicHostName = options.PublicHostname,
                Port = options.Port,
                // TLS: the node's certificate bound to its key; peer nodes must prove an admitted key (clients connect to the edge).
                EnableSsl = tls is null ? null : true,
                Ssl = tls is null
                    ? new SslOptions()
                    : new SslOptions
                    {
                        X509Certificate = tls.Certificate,
                        RequireMutualAuthentication = tls.RequireMutualAuthentication,
                        ValidateCertificateHostname = false,
                        SuppressValidation = false,
                        CustomValidator = tls.Validator(),
                    },
            })
            .WithClustering(new ClusterOptions
            {
                SplitBrainResolver = new KeepMajorityOption(),
            })
            .WithDistributedData(_ => { })
            .WithActors((system, registry) =>
            {
                // The meter before any work can be done: remembered pipelines wake up and report at once.
                registry.Register<WorkMeter>(system.ActorOf(Restarting(WorkMeter.Props(identity.Address, identity, options.PricePerUnit,
                    new MeteringSettings { ReceiptPeriod = TimeSpan.FromSeconds(options.Metering.ReceiptPeriodSeconds), NetworkId = options.NetworkId }, TimeProvider.System),
                    "meter"), WorkMeterEndpoint.Name));
                var view = system.ActorOf(NetworkView.Props(new Secp256k1Verifier(), Gossip(options)), NetworkView.Name);
                registry.Register<NetworkView>(view);
                var placement = options.PlacementSettings();
                var advisor = system.ActorOf(PlacementAdvisor.Props(view, placement, board, pipelines), PlacementAdvisor.Name);
                registry.Register<PlacementAdvisor>(advisor);

                // Every member holds its share of the pipelines (owner-signed history, unacknowledged payloads) in its own store.
                if (pipelines.Replicated)
                {
                    var store = new SqlitePipelineReplicaStore(Path.Combine(options.FullDataDirectory, "pipeline-replica.db"));
                    system.RegisterOnTermination(store.Dispose);
                    registry.Register<PipelineReplica>(system.ActorOf(PipelineReplica.Props(store, registry.Get<NetworkView>(), board, pipelines,
                        ReplicationSettings.Default with { Copies = options.PipelineReplicas }), PipelineReplica.Name));
                }

                // Local stores: the journal of the oldest member's singletons (the ledger, the pipeline shard coordinator) is
                // replicated to a majority of the members (its own store here, apart), configured before either can start.
                if (PersistenceConfig.ReplicatesLedger(options))
                {
                    var replication = new LedgerReplicationSettings(identity, new Secp256k1Verifier(), options.NetworkId,
                        new SqliteReplicaLog(Path.Combine(options.FullDataDirectory, "ledger-replica.db"))) { Replicates = ReplicatedPersistenceId };
                    LedgerReplication.Get(system).Configure(replication);
                    registry.Register<LedgerReplica>(system.ActorOf(LedgerReplica.Props(replication, view), LedgerReplica.Name));
                }

                // Each node's record on the node itself (its own store), reachable by node id from any member.
                var sharding = ClusterSharding.Get(system);
                registry.Register<NodeEntity>(sharding.Start(NodeEntity.TypeName, NodeEntity.Props,
                    ClusterShardingSettings.Create(system).WithStateStoreMode(StateStoreMode.DData),
                    new NodeEntityMessageExtractor(), new NodeHomeAllocationStrategy(system, board), StopEntity.Instance));

                // Plugin instances first: a pipeline entity that wakes up (remembered) configures its instances at once.
                registry.Register<PluginInstanceEntity>(sharding.Start(PluginInstanceEntity.TypeName,
                    id => PluginInstanceEntity.Props(id, pipelines), ClusterShardingSettings.Create(system),
                    new PluginInstanceMessageExtractor(), new ColocatedAllocationStrategy(system, board), StopEntity.Instance));
                registry.Register<PipelineEntity>(sharding.Start(PipelineEntity.TypeName,
                    id => PipelineEntity.Props(id, pipelines),
                    PipelineShardingSettings(system, options),
                    new PipelineMessageExtractor(),
                    new PipelineAllocationStrategy(system, board, placement),
                    StopEntity.Instance));

                // Distributed jobs: each job on the node that took its command, its shares spread over distinct nodes.
                registry.Register<JobShareWorker>(sharding.Start(JobShareWorker.TypeName,
                    _ => JobShareWorker.Props(pipelines), ClusterShardingSettings.Create(system),
                    new JobShareMessageExtractor(), new ShareSpreadAllocationStrategy(system, view), PoisonPill.Instance));
                registry.Register<DistributedJobEntity>(sharding.Start(DistributedJobEntity.TypeName,
                    id => DistributedJobEntity.Props(id, pipelines), ClusterShardingSettings.Create(system),
                    new JobMessageExtractor(), new RequesterAllocationStrategy(), StopEntity.Instance));
            })
            .WithSingleton<LedgerGate>(
                LedgerGate.SingletonName,
                Restarting(LedgerGate.Props(
                    new LedgerGateSettings
                    {
                        Freshness = options.Pipelines.CommandFreshness,
                        Network = options.NetworkId,
                        MintAuthorities = new HashSet<string>(options.Ledger.MintAuthorityList, StringComparer.OrdinalIgnoreCase),
                        JournalPluginId = PersistenceConfig.ReplicatesLedger(options) ? LedgerReplication.JournalPluginId : null,
                        SnapshotPluginId = PersistenceConfig.ReplicatesLedger(options) ? LedgerReplication.SnapshotPluginId : null,
                        SnapshotEvery = PersistenceConfig.ReplicatesLedger(options) ? 0 : 200,
                    },
                    new VoucherSigning(VoucherDomain.ForNetwork(options.NetworkId)), new Secp256k1Verifier(), TimeProvider.System), "gate"),
                new ClusterSingletonOptions { TerminationMessage = StopEntity.Instance },
                createProxyToo: true)
            .WithActors((system, registry) =>
            {
                // This node's channels settle with its own key: through the ledger proxy, or on chain.
                // Each channel watches its record there and settles on its own before expiry or when its payer asks to close.
                var backend = settlement.Backend(registry);
                var channelSettings = new PaymentChannelSettings { Network = options.NetworkId };
                var channels = ClusterSharding.Get(system).Start(PaymentChannelEntity.TypeName,
                    id => PaymentChannelEntity.Props(id, identity.Address, backend, new Secp256k1Verifier(), TimeProvider.System, channelSettings),
                    ClusterShardingSettings.Create(system),
                    new PaymentChannelMessageExtractor(identity.Address), new ColocatedAllocationStrategy(system, board), StopEntity.Instance);
                registry.Register<PaymentChannelEntity>(channels);
                if (options.AdmitLicensed)
                {
                    system.ActorOf(LicenceWatcher.Props(backend, admission,
                        TimeSpan.FromSeconds(options.LicenceRefreshSeconds), TimeProvider.System), LicenceWatcher.Name);
                }

                registry.Register<NodeBilling>(system.ActorOf(Restarting(NodeBilling.Props(identity.Address, channels, registry.Get<WorkMeter>(),
                    new BillingSettings { CreditLimit = options.Metering.CreditLimit }), "billing"), NodeBilling.Name));
            })
            .WithActors((system, registry) =>
            {
                var offer = new NodeOffer(
                    options.Alias,
                    [.. options.TagList],
                    [.. options.AllowedOwnerList],
                    options.PricePerUnit,
                    [.. ModelCatalogue.BuiltIn.Names],
                    options.Secured);
                var view = registry.Get<NetworkView>();
                var publisher = system.ActorOf(
                    ResourcePublisher.Props(identity, offer, probe, registry.Get<NodeEntity>(), Gossip(options)),
                    ResourcePublisher.Name);
                registry.Register<ResourcePublisher>(publisher);
                var models = ModelCatalogue.BuiltIn;
                registry.Register<InferenceService>(system.ActorOf(InferenceService.Props(models, new ModelServerSettings
                {
                    Workers = options.Inference.Workers,
                    MaxBatch = options.Inference.MaxBatch,
                    MaxWait = TimeSpan.FromMilliseconds(options.Inference.MaxWaitMs),
                    IdleTimeout = TimeSpan.FromMinutes(options.Inference.IdleMinutes),
                    HalfPrecisionOnGpu = options.Inference.HalfPrecisionOnGpu,
                    ThreadsPerWorker = Math.Max(1, Environment.ProcessorCount / Math.Max(1, options.Inference.Workers)),
                    DataDirectory = options.FullDataDirectory,
                }), InferenceService.Name));
                var directory = system.ActorOf(PipelineDirectory.Props(identity, new Secp256k1Verifier(), options.NetworkId), PipelineDirectory.Name);
                registry.Register<PipelineDirectory>(directory);
                var epochArchive = system.ActorOf(EpochArchive.Props(identity.Address), EpochArchive.Name);
                registry.Register<EpochArchive>(epochArchive);
                var rewards = settlement.Backend(registry);
                registry.Register<EpochObserver>(system.ActorOf(EpochObserver.Props(
                    EpochSettings.For(options.EpochGenesis, TimeSpan.FromSeconds(options.EpochSeconds),
                        TimeSpan.FromSeconds(options.HeartbeatSeconds), DistributedDataGossip) with { Domain = rewards.Domain, Network = options.NetworkId },
                    identity, new Secp256k1Verifier(), epochArchive, view, () => rewards.GetObserversAsync(), TimeProvider.System), EpochObserver.Name));
                system.ActorOf(RewardClaimer.Props(identity.Address, epochArchive, rewards,
                    new Secp256k1Verifier(), TimeSpan.FromSeconds(Math.Clamp(options.EpochSeconds / 4, 1, 60))), RewardClaimer.Name);
                registry.Register<NodeApi>(system.ActorOf(
                    NodeApi.Props(new NodeApiTargets(view, directory, registry.Get<PlacementAdvisor>(), registry.Get<DistributedJobEntity>(),
                        new Dictionary<string, SignedReader>([.. KernelReads.For(registry.Get<WorkMeter>(), directory),
                            .. BillingReads.For(registry.Get<NodeBilling>())])), pipelines),
                    NodeApi.Name));
            })
            .AddStartup((system, _) =>
            {
                if (seeds.Count > 0 && tls is not null)
                {
                    system.ActorOf(SeedRefusalWatch.Props(identity.Address, [.. seeds.Select(Address.Parse)]), SeedRefusalWatch.Name);
                }

                // Joined last, once every actor of this node exists: nothing from the network reaches a half-started node.
                var cluster = Cluster.Get(system);
                if (seeds.Count == 0)
                {
                    cluster.Join(cluster.SelfAddress);
                }
                else
                {
                    cluster.JoinSeedNodes(seeds.Select(Address.Parse));
                }
            });
        return builder;
    }

    /// <summary>
    /// Pipelines: remembered entities; the coordinator's shard homes event-sourced, one small event per allocation (Akka's
    /// distributed-data store rewrites its whole state, every pipeline's home, to a majority for each), in the journal the
    /// oldest member's singletons replicate to a majority on local stores (so a new coordinator finds them wherever it
    /// starts), or in the shared PostgreSQL journal.
    /// </summary>
    public static ClusterShardingSettings PipelineShardingSettings(ActorSystem system, NodeOptions options)
    {
        var settings = ClusterShardingSettings.Create(system).WithRememberEntities(true).WithStateStoreMode(StateStoreMode.Persistence);
        return PersistenceConfig.ReplicatesLedger(options)
            ? settings.WithJournalPluginId(LedgerReplication.JournalPluginId).WithSnapshotPluginId(LedgerReplication.SnapshotPluginId)
            : settings;
    }

    /// <summary>
    /// What of the replicated journal a majority must hold: everything but a shard's remembered entities
    /// (<c>/sharding/{type}Shard/{shard}</c>), which only the region running that shard reads (another node's region starts a
    /// moved pipeline shard from the pipeline's replicas) and which that region, not the oldest member, writes.
    /// </summary>
    public static bool ReplicatedPersistenceId(string persistenceId) =>
        !(persistenceId.StartsWith("/sharding/", StringComparison.Ordinal) && persistenceId.Contains("Shard/", StringComparison.Ordinal));

    /// <summary>
    /// Cluster heartbeats go three times within <see cref="NodeOptions.UnreachableAfterSeconds"/> (at most once a second), so
    /// a short unreachable-after detects a crash in about that time rather than in a second's heartbeat plus it.
    /// </summary>
    public static TimeSpan HeartbeatInterval(NodeOptions options) =>
        TimeSpan.FromMilliseconds(Math.Min(Math.Floor(options.UnreachableAfterSeconds * 1000 / 3), 1000));

    /// <summary>
    /// The membership's own ticks (gossip, the leader's actions, the reaper that marks a silent member unreachable) go three
    /// times within the shorter of <see cref="NodeOptions.UnreachableAfterSeconds"/> and <see cref="NodeOptions.DownAfterSeconds"/>,
    /// at most once a second (Akka's default): with a short setting each step of a failover (unreachable, downed, removed)
    /// would otherwise wait up to a second for its tick.
    /// </summary>
    public static TimeSpan MembershipTick(NodeOptions options) =>
        TimeSpan.FromMilliseconds(Math.Min(Math.Floor(Math.Min(options.UnreachableAfterSeconds, options.DownAfterSeconds) * 1000 / 3), 1000));

    private static string Ms(TimeSpan interval) => interval.TotalMilliseconds.ToString(CultureInfo.InvariantCulture) + "ms";

    /// <summary>The heartbeat cadence, and the network id heartbeats are signed in (a placeholder until the settings name one).</summary>
    private static GossipSettings Gossip(NodeOptions options) => new(TimeSpan.FromSeconds(options.HeartbeatSeconds)) { NetworkId = options.NetworkId };

    /// <summary>
    /// A persistent node actor under a back-off supervisor, reached through it (messages are forwarded): if it stops (a journal
    /// write failed) it is started again 1 s to 30 s later and recovers its journal; an exception restarts it at once.
    /// <see cref="StopEntity"/> (a singleton's hand-over) stops both for good.
    /// </summary>
    private static Props Restarting(Props props, string childName) =>
        BackoffSupervisor.Props(Backoff.OnStop(props, childName, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30), 0.2, maxNrOfRetries: -1)
            .WithFinalStopMessage(message => message is StopEntity));
}
