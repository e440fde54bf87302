using Akka.Actor;
using Akka.Cluster;
using Naeural.Ledger.Billing;
using Naeural.Ledger.Channels;
using Naeural.Ledger.Identity;
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
}
