using Akka.Actor;
using Akka.Cluster;
using Naeural.Ledger.Billing;
using Naeural.Ledger.Channels;
using Naeural.Actors.Security;
using Naeural.Ledger.Identity;
using Naeural.Ledger.Replication;
using Naeural.Ledger.Signing;
using Naeural.Testing;
using Xunit;

namespace Naeural.Ledger.Tests.Channels;

/// <summary>
/// The embedded ledger on members that share nothing (each its own SQLite store, the default): when the ledger's host goes,
/// the singleton that starts on a survivor continues the same history, not another one.
/// </summary>
public sealed class ReplicatedLedgerTests : Akka.TestKit.Xunit2.TestKit
{
    private static readonly TimeSpan Failover = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(500);

    [Fact]
    public async Task When_the_ledgers_host_crashes_a_survivor_answers_the_same_balances_and_still_refuses_a_replayed_request()
    {
        var treasury = NodeKey.Generate();
        var developer = NodeKey.Generate();
        var network = await InProcessNetwork.StartAsync(3, _ => new NodeCustomization(Options: o => o.Ledger.MintAuthorities = treasury.Address));
        try
        {
            await network[1].Client.Ledger(treasury).MintAsync(developer.Address, 1_000);
            var replayable = LedgerRequests.Sign(new MintTokens(developer.Address, 500), treasury, DateTimeOffset.UtcNow);
            Assert.IsType<LedgerDone>(await network[2].Registered<LedgerGate>().Ask<object>(replayable, TimeSpan.FromSeconds(10)));
            Assert.Equal(1_500, (int)await network[1].Client.Ledger(treasury).BalanceOfAsync(developer.Address));

            var crashed = network[0].Address;
            ((ExtendedActorSystem)network[0].System).Abort(); // the oldest member, the ledger's host, crashes
            await network[0].System.WhenTerminated;
            await AwaitAssertAsync(() => Assert.DoesNotContain(Cluster.Get(network[1].System).State.Members, m => m.Address == crashed), Failover, Poll);

            await AwaitAssertAsync(async () =>
                Assert.Equal(1_500, (int)await network[1].Client.Ledger(treasury).BalanceOfAsync(developer.Address)), Failover, Poll);
            var replayed = await network[2].Registered<LedgerGate>().Ask<object>(replayable, TimeSpan.FromSeconds(10));
            Assert.StartsWith(LedgerRequests.Replayed, Assert.IsType<LedgerRefused>(replayed).Reason);
            Assert.Equal(1_500, (int)await network[2].Client.Ledger(treasury).BalanceOfAsync(developer.Address));
        }
        finally
        {
            await network.DisposeAsync();
        }
    }

    [Fact]
    public async Task Without_a_majority_of_the_members_a_change_is_refused_clearly_not_left_to_time_out()
    {
        var treasury = NodeKey.Generate();
        var network = await InProcessNetwork.StartAsync(3, _ => new NodeCustomization(Options: o =>
        {
            o.Ledger.MintAuthorities = treasury.Address;
            o.DownAfterSeconds = 300; // nobody is downed during the test: the two lost members stay members
        }));
        try
        {
            var ledger = network[0].Client.Ledger(treasury);
            await ledger.MintAsync(treasury.Address, 10);
            ((ExtendedActorSystem)network[1].System).Abort();
            ((ExtendedActorSystem)network[2].System).Abort();

            var refused = await Assert.ThrowsAsync<SettlementException>(() => ledger.MintAsync(treasury.Address, 1_000));

            Assert.StartsWith(LedgerRequests.NotReplicated, refused.Message);
        }
        finally
        {
            await network.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_member_that_forges_replica_writes_changes_nothing_the_next_host_recovers()
    {
        var treasury = NodeKey.Generate();
        var developer = NodeKey.Generate();
        var attacker = NodeKey.Generate().Address;
        var network = await InProcessNetwork.StartAsync(3, _ => new NodeCustomization(Options: o => o.Ledger.MintAuthorities = treasury.Address));
        try
        {
            await network[1].Client.Ledger(treasury).MintAsync(developer.Address, 1_000);

            // The hostile member (not the ledger's host) writes a mint to the attacker into a survivor's replica.
            var hostile = network[2];
            var key = hostile.Service<NodeKey>();
            var signing = new ReplicaSigning(NetworkIds.Default, new Secp256k1Verifier());
            var minted = new Minted(attacker, 1_000_000);
            var serializer = hostile.System.Serialization.FindSerializerFor(minted);
            var entry = signing.SignEntry("embedded-ledger", new ReplicatedEntry(2, 99, 1, serializer.Identifier,
                Akka.Serialization.Serialization.ManifestFor(serializer, minted), serializer.ToBinary(minted), "", ""), key);
            var inItsName = signing.SignAppend(new ReplicaAppend("embedded-ledger", 99, 1, 1, 2, [entry], "", ""), key);
            var replica = hostile.System.ActorSelection(new RootActorPath(network[1].Address) / "user" / LedgerReplica.Name);
            foreach (var forged in new object[]
                     {
                         inItsName,
                         inItsName with { Writer = network[0].NodeId }, // in the host's name, with its own signature
                         inItsName with { PrevSeq = 0, PrevTerm = 0, Entries = [entry with { Seq = 1, PrevTerm = 0 }] },
                         signing.SignPrepare("embedded-ledger", 1_000, key), // to take the term over
                         new ReplicaRead("embedded-ledger", 1, 100),
                     })
            {
                Assert.IsType<ReplicaRefused>(await replica.Ask<object>(forged, TimeSpan.FromSeconds(10)));
            }

            var crashed = network[0].Address;
            ((ExtendedActorSystem)network[0].System).Abort();
            await network[0].System.WhenTerminated;
            await AwaitAssertAsync(() => Assert.DoesNotContain(Cluster.Get(network[1].System).State.Members, m => m.Address == crashed), Failover, Poll);

            var ledger = network[1].Client.Ledger(treasury);
            await AwaitAssertAsync(async () => Assert.Equal(1_000, (int)await ledger.BalanceOfAsync(developer.Address)), Failover, Poll);
            Assert.Equal(0, (int)await ledger.BalanceOfAsync(attacker));
            await ledger.MintAsync(developer.Address, 1); // the new host writes: the forged term took nothing over
            Assert.Equal(1_001, (int)await ledger.BalanceOfAsync(developer.Address));
        }
        finally
        {
            await network.DisposeAsync();
        }
    }
}
