using Akka.Actor;
using Naeural.Actors.Client;
using Naeural.Actors.Commands;
using Naeural.Actors.Pipelines;
using Naeural.Actors.Placement;
using Naeural.Testing;
using Xunit;

namespace Naeural.Actors.Tests.Placement;

/// <summary>
/// A create no node fits waits pending at the front door that took it: commands for that pipeline are answered meanwhile
/// (they never wait behind it), its owner's archive withdraws it, it is dropped once too old for any node to take, and a
/// front door keeps a bounded number of them.
/// </summary>
public sealed class PendingCreateTests : Akka.TestKit.Xunit2.TestKit
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);
    private const string Camera = """{ "TAGS": ["camera"] }""";

    [Fact]
    public async Task Commands_for_a_pending_pipeline_are_answered_and_its_owners_archive_withdraws_it()
    {
        await using var network = await InProcessNetwork.StartAsync(1);
        var developer = new Developer();
        var client = NaeuralClient.ForNode(network[0].System, developer.Key, Developer.Options with { RequestTimeout = TimeSpan.FromSeconds(10) });

        var pending = await client.DeployAsync(Spec("waits", Camera));
        Assert.Equal(PlacementCodes.Pending, pending.Code);

        // Before: the update waited behind the pending create, unanswered (the client's ask timed out).
        var update = await Assert.ThrowsAsync<PipelineCommandException>(() => client.UpdateConfigAsync("waits", new() { ["SEED"] = 8 }));
        Assert.Equal(RejectionCodes.UnknownPipeline, update.Code);

        var withdrawn = await client.ArchiveAsync("waits");
        Assert.Equal(PipelineActions.Archive, withdrawn.Action);
        Assert.Contains("withdrawn", withdrawn.Message);
        Assert.DoesNotContain(pending.PipelineId, (await PendingAsync(network[0])).Keys);

        // Another owner's pending create is not someone else's to withdraw: the front door refuses a stranger's archive first.
        var other = await client.DeployAsync(Spec("stays", Camera));
        var stranger = NaeuralClient.ForNode(network[0].System, new Developer().Key, Developer.Options with { RequestTimeout = TimeSpan.FromSeconds(10) });
        var forged = SignedCommand.Create(PipelineActions.Archive, "stays", null, new Developer().Key, DateTimeOffset.UtcNow, developer.Address);
        await Assert.ThrowsAsync<PipelineCommandException>(() => stranger.SendAsync(forged));
        Assert.Contains(other.PipelineId, (await PendingAsync(network[0])).Keys);
    }

    [Fact]
    public async Task An_archive_that_withdraws_a_second_pending_create_still_archives_the_running_pipeline()
    {
        await using var network = await InProcessNetwork.StartAsync(1);
        var client = new Developer().ClientFor(network[0]);
        var running = await client.DeployAsync(Spec("twice", "{}"));
        Assert.Equal(NotificationCodes.PipelineOk, running.Code);

        // The owner creates it again with a placement nothing fits: pending at the front door, beside the running one.
        Assert.Equal(PlacementCodes.Pending, (await client.DeployAsync(Spec("twice", Camera))).Code);
        await client.ArchiveAsync("twice");

        Assert.Equal(PipelineStatus.Archived, (await network[0].PipelineStatusAsync(running.PipelineId)).Status);
        Assert.DoesNotContain(running.PipelineId, (await PendingAsync(network[0])).Keys);
    }

    [Fact]
    public async Task A_pending_create_is_dropped_once_too_old_for_any_node_to_take()
    {
        await using var network = await InProcessNetwork.StartAsync(1, _ => new NodeCustomization(Options: o =>
            o.Pipelines = o.Pipelines with { CommandFreshness = TimeSpan.FromSeconds(3) }));
        var client = new Developer().ClientFor(network[0]);

        var pending = await client.DeployAsync(Spec("stale", Camera));
        Assert.Equal(PlacementCodes.Pending, pending.Code);
        Assert.Contains(pending.PipelineId, (await PendingAsync(network[0])).Keys);

        await AwaitAssertAsync(async () => Assert.DoesNotContain(pending.PipelineId, (await PendingAsync(network[0])).Keys),
            Bound, TimeSpan.FromMilliseconds(250));
    }

    [Fact]
    public async Task A_front_door_keeps_a_bounded_number_of_pending_creates()
    {
        await using var network = await InProcessNetwork.StartAsync(1, _ => new NodeCustomization(Options: o => o.MaxPendingPlacements = 2));
        var client = new Developer().ClientFor(network[0]);

        Assert.Equal(PlacementCodes.Pending, (await client.DeployAsync(Spec("first", Camera))).Code);
        Assert.Equal(PlacementCodes.Pending, (await client.DeployAsync(Spec("second", Camera))).Code);
        var refused = await Assert.ThrowsAsync<PipelineCommandException>(() => client.DeployAsync(Spec("third", Camera)));
        Assert.Equal(RejectionCodes.TooManyPending, refused.Code);

        // One owner's share is bounded too: a second owner is refused past its own share, the first is not affected.
        await using (var shared = await InProcessNetwork.StartAsync(1, _ => new NodeCustomization(Options: o => o.MaxPendingPlacementsPerOwner = 1)))
        {
            var (greedy, other) = (new Developer().ClientFor(shared[0]), new Developer().ClientFor(shared[0]));
            Assert.Equal(PlacementCodes.Pending, (await greedy.DeployAsync(Spec("one", Camera))).Code);
            Assert.Equal(RejectionCodes.TooManyPending,
                (await Assert.ThrowsAsync<PipelineCommandException>(() => greedy.DeployAsync(Spec("two", Camera)))).Code);
            Assert.Equal(PlacementCodes.Pending, (await other.DeployAsync(Spec("one", Camera))).Code);
        }

        // What fits is still placed.
        var placed = await client.DeployAsync(Spec("fits", "{}"));
        Assert.Equal(NotificationCodes.PipelineOk, placed.Code);
        Assert.Equal(2, (await PendingAsync(network[0])).Count);
    }

    private static async Task<IReadOnlyDictionary<string, string>> PendingAsync(InProcessNode node) =>
        (await node.System.ActorSelection(PlacementAdvisor.Path).Ask<PendingPlacements>(GetPendingPlacements.Instance, TimeSpan.FromSeconds(5))).Pipelines;

    private static string Spec(string name, string placement) =>
        Specs.Sensor(name, "PASS_THROUGH", rate: 5).Replace("\"SEED\": 7", $$"""  "SEED": 7, "PLACEMENT": {{placement}}""");
}
