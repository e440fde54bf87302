using System.Collections.Immutable;
using Akka.Actor;
using Akka.Cluster;
using Akka.Cluster.Hosting;
using Akka.Cluster.Hosting.SBR;
using Akka.Cluster.Sharding;
using Akka.Hosting;
using Akka.Remote.Hosting;
using Naeural.Actors.Api;
using Naeural.Actors.Network;
using Naeural.Actors.Nodes;
using Naeural.Actors.Serialization;
using Naeural.Ledger.Identity;

namespace Naeural.Host.Hosting;

/// <summary>
/// The node's actor system, configured in this one place: remoting, cluster (seed nodes or self-seeding, keep-majority
/// split-brain resolver), the allow-list serializer, persistence, distributed data, the sharded entities and the
/// kernel's actors.
/// </summary>
public static class NaeuralAkkaSetup
{
    public const string SystemName = "naeural";

    public static AkkaConfigurationBuilder AddNaeuralNode(
        this AkkaConfigurationBuilder builder,
        NodeOptions options,
        NodeKey identity,
        IResourceProbe probe,
        IEnumerable<Type> extraMessageTypes)
    {
        var seeds = options.SeedList;
        builder
            .AddHocon(SerializationConfig.For(KernelMessages.Types.Concat(extraMessageTypes), options.MaxMessageBytes), HoconAddMode.Prepend)
            .AddHocon(PersistenceConfig.For(options), HoconAddMode.Prepend)
            .AddHocon("""
                akka.cluster.sharding.distributed-data.durable.keys = []
                akka.cluster.distributed-data.gossip-interval = 1s
                akka.cluster.distributed-data.notify-subscribers-interval = 200ms
                akka.coordinated-shutdown.exit-clr = off
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
            })
            .WithClustering(new ClusterOptions
            {
                SeedNodes = seeds.Count > 0 ? [.. seeds] : null,
                SplitBrainResolver = new KeepMajorityOption(),
            })
            .WithDistributedData(_ => { })
            .WithShardRegion<NodeEntity>(
                NodeEntity.TypeName,
                NodeEntity.Props,
                new NodeEntityMessageExtractor(),
                new ShardOptions { StateStoreMode = StateStoreMode.DData, RememberEntities = false })
            .WithActors((system, registry) =>
            {
                var offer = new NodeOffer(
                    options.Alias,
                    [.. options.TagList],
                    [.. options.AllowedOwnerList],
                    options.PricePerUnit);
                var view = system.ActorOf(NetworkView.Props(), NetworkView.Name);
                registry.Register<NetworkView>(view);
                var publisher = system.ActorOf(
                    ResourcePublisher.Props(identity.Address, offer, probe, registry.Get<NodeEntity>(),
                        new GossipSettings(TimeSpan.FromSeconds(options.HeartbeatSeconds))),
                    ResourcePublisher.Name);
                registry.Register<ResourcePublisher>(publisher);
                registry.Register<NodeApi>(system.ActorOf(NodeApi.Props(view), NodeApi.Name));
            })
            .AddStartup((system, _) =>
            {
                if (seeds.Count == 0)
                {
                    var cluster = Cluster.Get(system);
                    cluster.Join(cluster.SelfAddress);
                }
            });
        return builder;
    }
}
