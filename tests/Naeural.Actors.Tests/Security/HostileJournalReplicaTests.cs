using Akka.Actor;
using Akka.Cluster;
using Naeural.Actors.Pipelines;
using Naeural.Ledger.Replication;
using Naeural.Testing;
using Xunit;

namespace Naeural.Actors.Tests.Security;

/// <summary>
/// A member that lies to a new host of the replicated journal (the pipeline shard coordinator, the ledger) while it
/// recovers: it first claims a log far beyond anyone's and gives none of it, then refuses every later term with the largest
/// there is. Neither stops the recovery: a claim its replica cannot back is passed over for the next, and a round a
/// majority follows goes on whatever one refusal says. Pipelines are placed again once the coordinator's host crashed.
/// </summary>
public sealed class HostileJournalReplicaTests : Akka.TestKit.Xunit2.TestKit
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(500);

    [Fact]
    public async Task Lying_replicas_do_not_stop_the_next_coordinator_from_recovering()
    {
        await using var network = await InProcessNetwork.StartAsync(5, _ => new NodeCustomization(Options: o => o.UnreachableAfterSeconds = 5));
        var client = new Developer().ClientFor(network[1]);
        var before = await client.DeployAsync(Specs.Sensor("before-crash", "COUNTER"));

        await ReplaceReplicaAsync(network[4], Liar.Props());

        // The oldest member, host of the coordinator, crashes: the coordinator recovers on node 1 from a majority of the four.
        var crashed = network[0].Address;
        ((ExtendedActorSystem)network[0].System).Abort();
        await AwaitAssertAsync(() => Assert.DoesNotContain(Cluster.Get(network[1].System).State.Members, m => m.Address == crashed), Bound, Poll);

        var after = await client.DeployAsync(Specs.Sensor("after-crash", "COUNTER"));
        await AwaitAssertAsync(async () =>
        {
            Assert.Equal(PipelineStatus.Running, (await network[1].PipelineStatusAsync(after.PipelineId)).Status);
            Assert.Equal(PipelineStatus.Running, (await network[2].PipelineStatusAsync(before.PipelineId)).Status);
        }, Bound, Poll);
    }

    private async Task ReplaceReplicaAsync(InProcessNode node, Props liar)
    {
        await node.Registered<LedgerReplica>().GracefulStop(TimeSpan.FromSeconds(10));
        // The guardian frees a stopped child's name a little after its Terminated: until then ActorOf says "not unique".
        await AwaitAssertAsync(() => node.System.ActorOf(liar, LedgerReplica.Name), TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(50));
    }

    /// <summary>A member's replica that lies: to each log's first prepare it claims a huge log (and gives none), to the next it refuses with the largest term.</summary>
    private sealed class Liar : ReceiveActor
    {
        private readonly HashSet<string> _claimed = [];

        public Liar()
        {
            Receive<ReplicaPrepare>(p => Sender.Tell(_claimed.Add(p.PersistenceId)
                ? new ReplicaPromised(p.PersistenceId, p.Term, p.Term - 1, 1_000_000)
                : new ReplicaRefused(p.PersistenceId, long.MaxValue, "I follow a newer host")));
            Receive<ReplicaAppend>(a => Sender.Tell(new ReplicaRefused(a.PersistenceId, 0, "no")));
            Receive<ReplicaRead>(r => Sender.Tell(new ReplicaEntries(r.PersistenceId, [])));
        }

        public static Props Props() => Akka.Actor.Props.Create(() => new Liar());
    }
}
