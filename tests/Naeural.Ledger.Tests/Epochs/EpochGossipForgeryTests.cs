using Akka.Actor;
using Akka.Cluster;
using Akka.DistributedData;
using Naeural.Actors.Network;
using Naeural.Actors.Nodes;
using Naeural.Host.Hosting;
using Naeural.Ledger.Channels;
using Naeural.Ledger.Epochs;
using Naeural.Ledger.Identity;
using Naeural.Testing;
using Xunit;

namespace Naeural.Ledger.Tests.Epochs;

/// <summary>A member gossips heartbeats for node ids it made up, and junk keys: none earns availability, nothing throws.</summary>
public sealed class EpochGossipForgeryTests : Akka.TestKit.Xunit2.TestKit
{
    private const double HeartbeatSeconds = 0.5;
    private static readonly TimeSpan EpochLength = TimeSpan.FromSeconds(4);
    private static readonly EpochSettings Settings = EpochSettings.For(DateTimeOffset.UnixEpoch, EpochLength,
        TimeSpan.FromSeconds(HeartbeatSeconds), NaeuralAkkaSetup.DistributedDataGossip);

    [Fact]
    public async Task Node_ids_a_member_made_up_earn_no_availability_and_junk_keys_do_not_stop_the_epoch()
    {
        const int Attacker = 1;
        var authority = NodeKey.Generate();
        await using var network = await InProcessNetwork.StartAsync(2, _ => new NodeCustomization(
            Options: o => (o.HeartbeatSeconds, o.EpochSeconds, o.EpochGenesis, o.Ledger.MintAuthorities) =
                (HeartbeatSeconds, EpochLength.TotalSeconds, DateTimeOffset.UnixEpoch, authority.Address)));
        var ids = network.Nodes.Select(n => n.NodeId.ToLowerInvariant()).ToArray();
        var ledger = new SignedEmbeddedSettlement(network[0].Registered<LedgerGate>(), authority);
        await ledger.SetObserversAsync([ids[0]], threshold: 1);

        var madeUp = Enumerable.Range(0, 3).Select(_ => NodeKey.Generate()).ToArray();
        var attackerAddress = network[Attacker].Address.ToString();
        IReadOnlyList<(string, SignedHeartbeat)> Forged() =>
        [
            .. madeUp.Select((key, i) => (key.Address, Signed(key, i == 0 ? attackerAddress : $"akka.tcp://naeural@10.0.0.{i}:4053"))),
            ("not-an-address", new SignedHeartbeat(Fake("not-an-address", "junk"), "0x00")),
        ];
        network[Attacker].System.ActorOf(Forger.Props(Forged));

        var epoch = Settings.Clock.EpochAt(DateTimeOffset.UtcNow) + 1;
        var report = await AwaitReportAsync(network[0], epoch);

        Assert.Equal(ids.Order(), report.Result!.Agreed.Keys.Order());
        Assert.Equal(ids.Order(), report.OwnTable!.Table.Keys.Order());
    }

    private async Task<EpochReport> AwaitReportAsync(InProcessNode node, long epoch)
    {
        EpochReport? report = null;
        await AwaitAssertAsync(async () =>
        {
            report = await node.System.ActorSelection($"/user/{EpochObserver.Name}").Ask<EpochReport>(new GetEpochReport(epoch), TimeSpan.FromSeconds(5));
            Assert.NotNull(report.Result);
        }, EpochLength * 2 + Settings.Grace + Settings.CollectWindow + TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(250));
        return report!;
    }

    private static NodeResources Fake(string nodeId, string akkaAddress) =>
        new(nodeId, akkaAddress, "made-up", 64, 512_000, 512_000, 0, null, [], [], [], [], 0, 0, DateTimeOffset.UtcNow);

    private static SignedHeartbeat Signed(NodeKey key, string akkaAddress) =>
        HeartbeatSigning.Sign(Fake(key.Address, akkaAddress), key, HeartbeatSigning.DefaultNetwork);

    /// <summary>Writes the given entries into the replicated heartbeat map every 200 ms, fresh each time.</summary>
    private sealed class Forger : ReceiveActor, IWithTimers
    {
        public Forger(Func<IReadOnlyList<(string Key, SignedHeartbeat Entry)>> entries)
        {
            var cluster = Cluster.Get(Context.System);
            var replicator = DistributedData.Get(Context.System).Replicator;
            Receive<string>(_ =>
            {
                var forged = entries();
                replicator.Tell(Dsl.Update(NetworkKeys.Resources, LWWDictionary<string, SignedHeartbeat>.Empty, WriteLocal.Instance,
                    map => forged.Aggregate(map, (m, e) => m.SetItem(cluster, e.Key, e.Entry))));
            });
            Receive<UpdateSuccess>(_ => { });
            Receive<IUpdateFailure>(_ => { });
        }

        public ITimerScheduler Timers { get; set; } = null!;

        public static Props Props(Func<IReadOnlyList<(string Key, SignedHeartbeat Entry)>> entries) =>
            Akka.Actor.Props.Create(() => new Forger(entries));

        protected override void PreStart() => Timers.StartPeriodicTimer("forge", "forge", TimeSpan.Zero, TimeSpan.FromMilliseconds(200));
    }
}
