using System.Globalization;
using Akka.Actor;
using Akka.Cluster;
using Akka.Event;
using Akka.Cluster.Hosting;
using Akka.Cluster.Hosting.SBR;
using Akka.Hosting;
using Akka.Remote.Hosting;
using Naeural.Actors.Hosting;
using Naeural.Actors.Metering;
using Naeural.Actors.Network;
using Naeural.Actors.Nodes;
using Naeural.Actors.Pipelines;
using Naeural.Actors.Replication;
using Naeural.Actors.Security;
using Naeural.Actors.Serialization;
using Naeural.Inference.Hosting;
using Naeural.Inference.Models;
using Naeural.Inference.Serving;
using Naeural.Ledger.Billing;
using Naeural.Ledger.Channels;
using Naeural.Ledger.Epochs;
using Naeural.Ledger.Hosting;
using Naeural.Ledger.Identity;
using Naeural.Ledger.Replication;
using Naeural.Ledger.Signing;

namespace Naeural.Host.Hosting;

/// <summary>
/// The node's actor system, composed here: the infrastructure (remoting, cluster with seed nodes or self-seeding and a
/// keep-majority split-brain resolver, the allow-list serializer, persistence, distributed data) and each project's own
/// actors through its own extension: <see cref="KernelHosting.AddNaeuralKernel"/>, <see cref="InferenceHosting.AddNaeuralInference"/>,
/// <see cref="LedgerHosting.AddNaeuralLedger"/>, then the front door (<see cref="KernelHosting.AddNaeuralFrontDoor"/>); the
/// node joins the network last.
/// </summary>
public static class NaeuralAkkaSetup
{
    public const string SystemName = "naeural";

    /// <summary>How often replicated data (heartbeats, the pipeline directory) gossips between members.</summary>
    public static readonly TimeSpan DistributedDataGossip = TimeSpan.FromSeconds(1);

    /// <summary>
    /// What peers may reach by actor selection besides Akka's own daemons: what each project lists as selectable (the front
    /// door and client-facing actors, address challenges, replicas, singleton managers, sharding coordinators). Anything else
    /// is reached only through a reference a peer was given, and only with a message type on the allow-list.
    /// </summary>
    public static IReadOnlyList<string> TrustedSelectionPaths { get; } = [.. KernelHosting.SelectablePaths, .. LedgerHosting.SelectablePaths];

    public static AkkaConfigurationBuilder AddNaeuralNode(
        this AkkaConfigurationBuilder builder,
        NodeOptions options,
        NodeKey identity,
        PeerAdmission admission,
        (ModelCatalogue Catalogue, IReadOnlyList<string> Unservable) served,
        IResourceProbe probe,
        PipelineServices pipelines,
        NodeSettlement settlement,
        IEnumerable<Type> extraMessageTypes)
    {
        var seeds = options.SeedList;
        var (models, unservable) = served;
        // The member port admits nodes only; clients are admitted at the client edge (EdgeHost).
        var tls = options.LoadTls(identity, admission) is { } loaded ? NodeOptions.MembersOnly(loaded) : null;
        builder
            .AddHocon(SerializationConfig.For(KernelMessages.Types.Concat(extraMessageTypes), TrustedSelectionPaths, options.MaxMessageBytes, options.WireFormat), HoconAddMode.Prepend)
            .AddHocon(PersistenceConfig.For(options), HoconAddMode.Prepend)
            .AddHocon($$"""
                akka.cluster.sharding.distributed-data.durable.keys = []
                akka.cluster.sharding.passivate-idle-entity-after = off
                akka.cluster.sharding.remember-entities-store = eventsourced
                akka.cluster.failure-detector.heartbeat-interval = {{Ms(HeartbeatInterval(options))}}
                akka.cluster.failure-detector.acceptable-heartbeat-pause = {{Ms(options.UnreachableAfter)}}
                akka.cluster.split-brain-resolver.stable-after = {{Ms(options.DownAfter)}}
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
            .AddNaeuralKernel(Kernel(options, identity, probe, pipelines, models))
            .AddNaeuralInference(models, ModelServing(options))
            .AddNaeuralLedger(Ledger(options, identity, admission, pipelines, settlement))
            .AddNaeuralFrontDoor(pipelines, LedgerHosting.Reads)
            .AddStartup((system, _) =>
            {
                foreach (var problem in unservable)
                {
                    system.Log.Error("A model file is not served: {Problem}", problem);
                }

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

    /// <summary>The pipeline shard coordinator's journal: the replicated one where members keep their own stores, else the shared default.</summary>
    public static CoordinatorJournal? CoordinatorJournal(NodeOptions options) =>
        PersistenceConfig.ReplicatesLedger(options) ? LedgerHosting.ReplicatedJournal : null;

    private static KernelSetup Kernel(NodeOptions options, NodeKey identity, IResourceProbe probe, PipelineServices pipelines, ModelCatalogue models) =>
        new(identity, pipelines,
            new NodeOffer(options.Alias, [.. options.TagList], [.. options.AllowedOwnerList], options.PricePerUnit,
                [.. models.Names], options.Secured),
            probe, Gossip(options), options.PlacementSettings(),
            new MeteringSettings { ReceiptPeriod = options.Metering.ReceiptPeriod, NetworkId = options.NetworkId },
            options.PricePerUnit)
        {
            ReplicaStore = () => new SqlitePipelineReplicaStore(Path.Combine(options.FullDataDirectory, "pipeline-replica.db")),
            Replication = ReplicationSettings.Default with { Copies = options.PipelineReplicas },
            CoordinatorJournal = CoordinatorJournal(options),
        };

    private static ModelServerSettings ModelServing(NodeOptions options) => new()
    {
        Workers = options.Inference.Workers,
        MaxBatch = options.Inference.MaxBatch,
        MaxWait = options.Inference.MaxWait,
        IdleTimeout = options.Inference.IdleTimeout,
        HalfPrecisionOnGpu = options.Inference.HalfPrecisionOnGpu,
        ThreadsPerWorker = Math.Max(1, Environment.ProcessorCount / Math.Max(1, options.Inference.Workers)),
        DataDirectory = options.FullDataDirectory,
    };

    private static LedgerSetup Ledger(NodeOptions options, NodeKey identity, PeerAdmission admission, PipelineServices pipelines, NodeSettlement settlement) =>
        new(identity,
            new LedgerGateSettings
            {
                Freshness = options.Pipelines.CommandFreshness,
                Network = options.NetworkId,
                MintAuthorities = new HashSet<string>(options.Ledger.MintAuthorityList, AccountAddress.Comparer),
            },
            settlement.Backend,
            EpochSettings.For(options.EpochGenesis, options.EpochLength, options.Heartbeat,
                DistributedDataGossip) with { Network = options.NetworkId },
            new BillingSettings { CreditLimit = options.Metering.CreditLimit },
            pipelines.Board)
        {
            Replication = PersistenceConfig.ReplicatesLedger(options)
                ? () => new LedgerReplicationSettings(identity, new Secp256k1Verifier(), options.NetworkId,
                    new SqliteReplicaLog(Path.Combine(options.FullDataDirectory, "ledger-replica.db"))) { Replicates = ReplicatedPersistenceId }
                : null,
            LicensedAdmission = options.AdmitLicensed ? admission : null,
            LicenceRefresh = options.LicenceRefresh,
            RewardClaimInterval = TimeSpan.FromSeconds(Math.Clamp(options.EpochLength.TotalSeconds / 4, 1, 60)),
            Channels = new PaymentChannelSettings { Network = options.NetworkId },
        };

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
        TimeSpan.FromMilliseconds(Math.Min(Math.Floor(options.UnreachableAfter.TotalMilliseconds / 3), 1000));

    /// <summary>
    /// The membership's own ticks (gossip, the leader's actions, the reaper that marks a silent member unreachable) go three
    /// times within the shorter of <see cref="NodeOptions.UnreachableAfterSeconds"/> and <see cref="NodeOptions.DownAfterSeconds"/>,
    /// at most once a second (Akka's default): with a short setting each step of a failover (unreachable, downed, removed)
    /// would otherwise wait up to a second for its tick.
    /// </summary>
    public static TimeSpan MembershipTick(NodeOptions options) =>
        TimeSpan.FromMilliseconds(Math.Min(Math.Floor(Math.Min(options.UnreachableAfter.TotalMilliseconds, options.DownAfter.TotalMilliseconds) / 3), 1000));

    private static string Ms(TimeSpan interval) => interval.TotalMilliseconds.ToString(CultureInfo.InvariantCulture) + "ms";

    /// <summary>The heartbeat cadence, and the network id heartbeats are signed in (a placeholder until the settings name one).</summary>
    private static GossipSettings Gossip(NodeOptions options) => new(options.Heartbeat) { NetworkId = options.NetworkId };
}
