using System.Collections.Immutable;
using Akka.Actor;
using Akka.Hosting;
using Naeural.Actors.Telemetry;
using Naeural.Host.Hosting;
using Naeural.Ledger.Channels;
using Naeural.Ledger.Epochs;
using Naeural.Ledger.Identity;
using Naeural.Ledger.Signing;
using Naeural.Testing;
using Xunit;
using Xunit.Abstractions;

namespace Naeural.Ledger.Tests.Epochs;

/// <summary>Epochs observed and agreed by real in-process nodes over the cluster's own gossip.</summary>
public sealed class EpochNetworkTests(ITestOutputHelper output) : Akka.TestKit.Xunit2.TestKit
{
    private const double HeartbeatSeconds = 0.5;
    private const long Pool = 1_000_000;
    private static readonly TimeSpan EpochLength = TimeSpan.FromSeconds(16);
    private static readonly DateTimeOffset Genesis = DateTimeOffset.UnixEpoch;
    private static readonly EpochSettings Settings = EpochSettings.For(Genesis, EpochLength,
        TimeSpan.FromSeconds(HeartbeatSeconds), NaeuralAkkaSetup.DistributedDataGossip);

    [Fact]
    public async Task With_five_nodes_one_stopped_for_half_an_epoch_and_one_lying_observer_the_agreed_availabilities_are_right_within_one_heartbeat_and_nodes_claim_their_rewards()
    {
        const int Liar = 1, Stopped = 4;
        var authority = NodeKey.Generate();
        await using var network = await InProcessNetwork.StartAsync(5, i => new NodeCustomization(
            Options: o => (o.HeartbeatSeconds, o.EpochSeconds, o.EpochGenesis, o.Ledger.MintAuthorities) =
                (HeartbeatSeconds, EpochLength.TotalSeconds, Genesis, authority.Address),
            Akka: i == Liar ? ReplaceObserverWithLiar : null));
        var ids = network.Nodes.Select(n => n.NodeId.ToLowerInvariant()).ToArray();
        foreach (var node in network.Nodes)
        {
            await AwaitAssertAsync(async () => Assert.Equal(5, (await node.Client.GetNodesAsync()).Nodes.Length),
                TimeSpan.FromSeconds(20), TimeSpan.FromMilliseconds(200));
        }

        var recorder = network[0].System.ActorOf(LastHeartbeatRecorder.Props());
        using var metrics = new MetricsRecorder(NodeMetrics.For(network[0].System).Meter);

        // The first whole epoch with everyone up; the liar flatters the stopped node and slanders node 0.
        var epoch = Settings.Clock.EpochAt(DateTimeOffset.UtcNow) + 1;
        var lie = ids.ToImmutableSortedDictionary(id => id, id => id == ids[0] ? (byte)0 : (byte)255, StringComparer.Ordinal);
        network[Liar].System.ActorSelection($"/user/{EpochObserver.Name}-liar").Tell(new Lie(epoch, lie));

        // The ledger's authority registers the five as observers (3 signatures needed) and funds the epoch's pool.
        var ledger = new SignedEmbeddedSettlement(network[0].Registered<LedgerGate>(), authority);
        await ledger.SetObserversAsync(ids, threshold: 3);
        await ledger.FundEpochAsync(epoch, Pool);

        // Leaving gracefully takes a few seconds (shards handed off) during which the node still heartbeats: start early.
        await WaitUntilAsync(Settings.Clock.StartOf(epoch) + (EpochLength * 0.4));
        await network[Stopped].StopAsync();
        var lastHeartbeat = await recorder.Ask<DateTimeOffset>(new GetLastHeartbeat(ids[Stopped]), TimeSpan.FromSeconds(5));
        output.WriteLine($"node {Stopped}'s last heartbeat: {(lastHeartbeat - Settings.Clock.StartOf(epoch)).TotalSeconds:F2}s into epoch {epoch}");

        await WaitUntilAsync(Settings.Clock.EndOf(epoch) + Settings.Grace + Settings.CollectWindow);
        var honest = network.Nodes.Where((_, i) => i is not Liar and not Stopped).ToArray();
        var reports = new List<EpochReport>();
        foreach (var node in honest)
        {
            await AwaitAssertAsync(async () =>
            {
                var report = await node.System.ActorSelection($"/user/{EpochObserver.Name}").Ask<EpochReport>(new GetEpochReport(epoch), TimeSpan.FromSeconds(5));
                Assert.NotNull(report.Result);
                Assert.Equal(honest.Length, report.Signatures.Length); // every honest observer signed the same result
                reports.Add(report);
            }, TimeSpan.FromSeconds(15), TimeSpan.FromMilliseconds(250));
        }

        var agreed = reports[0].Result!.Agreed;
        Assert.All(reports, r => Assert.Equal(agreed, r.Result!.Agreed));
        output.WriteLine(string.Join(", ", agreed.Select(p => $"{p.Key[..8]}={p.Value}")));

        foreach (var (node, value) in agreed)
        {
            Assert.Equal(value, metrics.Last("naeural.epoch.availability", "node", node)); // node 0 exports what it agreed
        }

        var oneHeartbeat = 255 * HeartbeatSeconds / EpochLength.TotalSeconds;
        var truth = Share(lastHeartbeat, epoch);
        Assert.InRange(agreed[ids[Stopped]], Math.Floor(truth - oneHeartbeat), Math.Ceiling(truth + oneHeartbeat));
        // It really was down for a good part of the epoch (it stops at 40%; a graceful leave on a loaded machine heartbeats on
        // for a while: its last heartbeat came at 68% in one full run).
        Assert.InRange(truth, 255 * 0.4, 255 * 0.8);
        foreach (var id in ids.Where((_, i) => i != Stopped))
        {
            Assert.InRange(agreed[id], Math.Floor(255 - oneHeartbeat), 255); // node 0 despite the slander
        }

        var observers = ids.ToHashSet(StringComparer.OrdinalIgnoreCase);
        Assert.True(reports[0].Result!.ClaimIsValid(ids[0], reports[0].Signatures, observers, threshold: 3, new Secp256k1Verifier()));

        // Each honest node claims its share by itself, with the observers' signatures; the liar collected none.
        var shares = reports[0].Result!.Rewards(Pool);
        foreach (var i in new[] { 0, 2, 3 })
        {
            await AwaitAssertAsync(async () => Assert.Equal(shares[ids[i]], (await ledger.GetEpochRewardAsync(epoch, ids[i])).Claimed),
                TimeSpan.FromSeconds(20), TimeSpan.FromMilliseconds(250));
            Assert.Equal(shares[ids[i]], await ledger.BalanceOfAsync(ids[i]));
        }

        Assert.Equal(0, (await ledger.GetEpochRewardAsync(epoch, ids[Liar])).Claimed);
    }

    private static double Share(DateTimeOffset time, long epoch) => 255 * (time - Settings.Clock.StartOf(epoch)) / EpochLength;

    private static void ReplaceObserverWithLiar(AkkaConfigurationBuilder akka) =>
        akka.WithActors((system, _, resolver) =>
        {
            system.ActorSelection($"/user/{EpochObserver.Name}").Tell(PoisonPill.Instance);
            system.ActorOf(LyingObserver.Props(Settings, resolver.GetService<NodeKey>()), $"{EpochObserver.Name}-liar");
        });

    /// <summary>Epochs are wall-clock: the scenario acts at given times within one.</summary>
    private static async Task WaitUntilAsync(DateTimeOffset time)
    {
        var delay = time - DateTimeOffset.UtcNow;
        if (delay > TimeSpan.Zero)
        {
            await Task.Delay(delay);
        }
    }
}
