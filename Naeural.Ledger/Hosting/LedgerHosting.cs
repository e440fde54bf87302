using Akka.Actor;
using Akka.Cluster.Hosting;
using Akka.Cluster.Sharding;
using Akka.Hosting;
using Naeural.Actors.Api;
using Naeural.Actors.Hosting;
using Naeural.Actors.Network;
using Naeural.Actors.Sharding;
using Naeural.Ledger.Billing;
using Naeural.Ledger.Channels;
using Naeural.Ledger.Epochs;
using Naeural.Ledger.Licences;
using Naeural.Ledger.Replication;
using Naeural.Ledger.Signing;

namespace Naeural.Ledger.Hosting;

/// <summary>
/// The ledger's part of a node's actor system, registered by the ledger itself: the replica of the oldest member's journal,
/// the embedded ledger as a cluster singleton behind its signature-checking gate (and its proxy on every node), this node's
/// payment channels (a shard region whose one shard per node lives on that node), its licence watch and billing, and the
/// epoch archive, observer and reward claimer. Register after <c>AddNaeuralKernel</c>: the replica and the observer read
/// the kernel's network view, and billing the work meter.
/// </summary>
public static class LedgerHosting
{
    /// <summary>What peers may select on this node of the ledger's actors (each takes only its wire messages, checked by itself).</summary>
    public static IReadOnlyList<string> SelectablePaths { get; } =
    [
        LedgerGate.ProxyPath, "/user/" + LedgerGate.SingletonName, $"/user/{LedgerGate.SingletonName}/{LedgerGate.SingletonName}",
        NodeBilling.Path, "/user/" + EpochObserver.Name, "/system/sharding/" + PaymentChannelEntity.TypeName,
        LedgerReplica.Path, // the ledger's journal replica: takes writes only signed by the ledger's host (the oldest member's node)
        .. KernelHosting.CoordinatorPaths(PaymentChannelEntity.TypeName),
    ];

    /// <summary>
    /// The replicated journal (<see cref="LedgerSetup.Replication"/>) as the pipeline shard coordinator's journal: it lives on
    /// the same oldest member as the ledger and must survive it the same way.
    /// </summary>
    public static CoordinatorJournal ReplicatedJournal { get; } = new(LedgerReplication.JournalPluginId, LedgerReplication.SnapshotPluginId);

    /// <summary>The billing reads the front door serves (<see cref="KernelHosting.AddNaeuralFrontDoor"/>).</summary>
    public static IEnumerable<KeyValuePair<string, SignedReader>> Reads(IReadOnlyActorRegistry registry) => BillingReads.For(registry.Get<NodeBilling>());

    public static AkkaConfigurationBuilder AddNaeuralLedger(this AkkaConfigurationBuilder builder, LedgerSetup setup)
    {
        var replicated = setup.Replication is not null;
        var gate = setup.Gate with
        {
            JournalPluginId = replicated ? LedgerReplication.JournalPluginId : null,
            SnapshotPluginId = replicated ? LedgerReplication.SnapshotPluginId : null,
            SnapshotEvery = replicated ? 0 : setup.Gate.SnapshotEvery,
        };
        return builder
            .WithActors((system, registry) =>
            {
                // Configured before the cluster is joined: no singleton that journals there can start before it.
                if (setup.Replication is { } replicate)
                {
                    var replication = replicate();
                    if (replication.Log is IDisposable log)
                    {
                        system.RegisterOnTermination(log.Dispose);
                    }

                    LedgerReplication.Get(system).Configure(replication);
                    registry.Register<LedgerReplica>(system.ActorOf(LedgerReplica.Props(replication, registry.Get<NetworkView>()), LedgerReplica.Name));
                }
            })
            .WithSingleton<LedgerGate>(
                LedgerGate.SingletonName,
                NodeSupervision.Restarting(LedgerGate.Props(gate, new VoucherSigning(VoucherDomain.ForNetwork(gate.Network)),
                    new Secp256k1Verifier(), TimeProvider.System), "gate"),
                new ClusterSingletonOptions { TerminationMessage = StopEntity.Instance },
                createProxyToo: true)
            .WithActors((system, registry) =>
            {
                // This node's channels settle with its own key. Each channel watches its record and settles on its own
                // before expiry or when its payer asks to close.
                var backend = setup.Settlement(registry);
                var payee = setup.Identity.Address;
                var channels = ClusterSharding.Get(system).Start(PaymentChannelEntity.TypeName,
                    id => PaymentChannelEntity.Props(id, payee, backend, new Secp256k1Verifier(), TimeProvider.System, setup.Channels),
                    ClusterShardingSettings.Create(system), new PaymentChannelMessageExtractor(payee),
                    new ColocatedAllocationStrategy(system, setup.Board), StopEntity.Instance);
                registry.Register<PaymentChannelEntity>(channels);
                if (setup.LicensedAdmission is { } admission)
                {
                    system.ActorOf(LicenceWatcher.Props(backend, admission, setup.LicenceRefresh, TimeProvider.System), LicenceWatcher.Name);
                }

                registry.Register<NodeBilling>(system.ActorOf(NodeSupervision.Restarting(
                    NodeBilling.Props(payee, channels, registry.Get<Actors.Metering.WorkMeter>(), setup.Billing), "billing"), NodeBilling.Name));

                var archive = system.ActorOf(EpochArchive.Props(payee), EpochArchive.Name);
                registry.Register<EpochArchive>(archive);
                registry.Register<EpochObserver>(system.ActorOf(EpochObserver.Props(setup.Epochs with { Domain = backend.Domain },
                    setup.Identity, new Secp256k1Verifier(), archive, registry.Get<NetworkView>(), () => backend.GetObserversAsync(),
                    TimeProvider.System), EpochObserver.Name));
                system.ActorOf(RewardClaimer.Props(payee, archive, backend, new Secp256k1Verifier(), setup.RewardClaimInterval), RewardClaimer.Name);
            });
    }
}
