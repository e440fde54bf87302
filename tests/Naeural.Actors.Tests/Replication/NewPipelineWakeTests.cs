using System.Text.Json.Nodes;
using Akka.Actor;
using Akka.Event;
using Naeural.Actors.Commands;
using Naeural.Actors.Replication;
using Naeural.Host.Hosting;
using Naeural.Testing;
using Xunit;

namespace Naeural.Actors.Tests.Replication;

/// <summary>
/// A replica learns of a new pipeline from its host before the host's heartbeat lists it (heartbeats lag under load): it
/// must not take the pipeline for lost and wake it elsewhere while that host is up. Under the placement benchmark's load,
/// such early wakes (17,187 in one run) raced the creates and dropped them (DEPLOY_TIMEOUT).
/// </summary>
public sealed class NewPipelineWakeTests : Akka.TestKit.Xunit2.TestKit
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_pipeline_its_live_host_has_just_shared_is_not_woken_elsewhere_before_a_heartbeat_lists_it()
    {
        await using var network = await InProcessNetwork.StartAsync(2, _ => new NodeCustomization(Options: o => o.PipelineReplicas = 3));
        var (replica, host) = (network[0], network[1]);
        var wakes = CreateTestProbe(replica.System);
        replica.System.EventStream.Subscribe(wakes.Ref, typeof(Info));

        // The host shares an owner's create of a pipeline no heartbeat lists (it has not run it yet: as right after a create).
        var developer = new Developer();
        const string name = "just-created";
        var pipelineId = $"{developer.Address.ToLowerInvariant()}/{name}";
        var create = SignedCommand.Create(PipelineActions.Create, name, JsonNode.Parse(Specs.Sensor(name, "PASS_THROUGH", rate: 1)),
            developer.Key, DateTimeOffset.UtcNow);
        var sender = CreateTestProbe(host.System);
        host.System.ActorSelection(replica.Address + PipelineReplica.Path)
            .Tell(new ReplicateHistory(pipelineId, [new HistoryEntry(1, create)]), sender.Ref);
        Assert.Equal(1, (await sender.ExpectMsgAsync<HistoryReplicated>(Bound)).Held);

        // Before: the next sweeps (every 2 s, once the membership had settled) woke it on a node of its own choosing.
        var woken = false;
        try
        {
            await wakes.FishForMessageAsync(m => m is Info i && i.Message.ToString()!.Contains("runs nowhere") && i.Message.ToString()!.Contains(name),
                TimeSpan.FromSeconds(12));
            woken = true;
        }
        catch (Xunit.Sdk.XunitException)
        {
            // No wake within six sweeps.
        }

        Assert.False(woken, "the replica woke a pipeline its live host had just shared");
    }
}
