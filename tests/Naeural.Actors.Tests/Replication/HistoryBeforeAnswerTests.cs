using System.Text.Json.Nodes;
using Akka.Actor;
using Akka.TestKit;
using Naeural.Actors.Commands;
using Naeural.Actors.Pipelines;
using Naeural.Actors.Replication;
using Naeural.Testing;
using Xunit;

namespace Naeural.Actors.Tests.Replication;

/// <summary>
/// An owner's command is answered only once another member holds it: the host may crash the moment its answer leaves, and
/// what the owner was told is done must come back with the pipeline. Before, the history went to the replicas told and
/// forgotten while the answer raced it out (a clean clone's CI lost the owner's update in <c>HostileReplicaTests</c>).
/// </summary>
public sealed class HistoryBeforeAnswerTests : Akka.TestKit.Xunit2.TestKit
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task A_command_is_answered_only_after_the_replicas_confirm_its_history()
    {
        await using var network = await InProcessNetwork.StartAsync(1);
        var node = network[0];
        var services = node.Service<PipelineServices>() with { Replicated = true };
        var owner = new Developer();

        // This node's replica actor, played by a probe: it answers reads with nothing held and keeps each share it is given.
        var replica = CreateTestProbe(node.System);
        var shares = CreateTestProbe(node.System);
        var client = CreateTestProbe(node.System);
        replica.SetAutoPilot(new DelegateAutoPilot((sender, message) =>
        {
            switch (message)
            {
                case GatherReplica gather:
                    sender.Tell(new ReplicaContent(gather.PipelineId, [], [], 0, 0));
                    break;
                case SharePayloads share:
                    sender.Tell(new PayloadsShared(share.PipelineId, share.Payloads.IsDefaultOrEmpty ? 0 : share.Payloads.Max(p => p.Sequence), 2));
                    break;
                case ShareHistory:
                    shares.Ref.Tell(message, sender);
                    break;
            }

            return AutoPilot.KeepRunning;
        }));
        Akka.Hosting.ActorRegistry.For(node.System).Register<PipelineReplica>(replica.Ref, overwrite: true);

        var create = SignedCommand.Create(PipelineActions.Create, "cam", JsonNode.Parse(Specs.Sensor("cam", "PASS_THROUGH")), owner.Key, DateTimeOffset.UtcNow);
        var pipelineId = CommandEnvelope.PipelineIdOf(owner.Address, "cam");
        var entity = node.System.ActorOf(PipelineEntity.Props(pipelineId, services));
        entity.Tell(new PipelineCommandRequest(pipelineId, create), client.Ref);

        var shared = await shares.ExpectMsgAsync<ShareHistory>(Bound);
        Assert.Equal((pipelineId, 1L), (shared.PipelineId, shared.Entries.Single().Version));
        await client.ExpectNoMsgAsync(TimeSpan.FromSeconds(2)); // the pipeline runs, but no replica holds its create yet

        shares.LastSender.Tell(new HistoryShared(pipelineId, 1));
        var accepted = await client.ExpectMsgAsync<CommandAccepted>(Bound);
        Assert.Equal((pipelineId, 1L), (accepted.PipelineId, accepted.Version));

        // Two changes; a replica confirms the later one only (the earlier was refused there): only the later is answered.
        var later = DateTimeOffset.UtcNow;
        foreach (var (rate, at) in new[] { (10, later), (20, later.AddMilliseconds(1)) })
        {
            var change = SignedCommand.Create(PipelineActions.UpdateConfig, "cam", JsonNode.Parse($$"""{ "CAP_RESOLUTION": {{rate}} }"""), owner.Key, at);
            entity.Tell(new PipelineCommandRequest(pipelineId, change), client.Ref);
        }

        var (second, third) = (await shares.ExpectMsgAsync<ShareHistory>(Bound), await shares.ExpectMsgAsync<ShareHistory>(Bound));
        Assert.Equal((2L, 3L), (second.Entries.Single().Version, third.Entries.Single().Version));
        shares.LastSender.Tell(new HistoryShared(pipelineId, 3));
        Assert.Equal(3L, (await client.ExpectMsgAsync<CommandAccepted>(Bound)).Version);
        await client.ExpectNoMsgAsync(TimeSpan.FromSeconds(1));
        shares.LastSender.Tell(new HistoryShared(pipelineId, 2));
        Assert.Equal(2L, (await client.ExpectMsgAsync<CommandAccepted>(Bound)).Version);
    }
}
