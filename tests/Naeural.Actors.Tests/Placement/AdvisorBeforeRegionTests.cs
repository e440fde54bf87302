using System.Collections.Immutable;
using System.Text.Json.Nodes;
using Akka.Actor;
using Naeural.Actors.Commands;
using Naeural.Actors.Network;
using Naeural.Actors.Nodes;
using Naeural.Actors.Pipelines;
using Naeural.Actors.Placement;
using Naeural.Actors.Plugins;
using Naeural.Actors.Capture;
using Naeural.Ledger.Identity;
using Naeural.Ledger.Signing;
using Xunit;

namespace Naeural.Actors.Tests.Placement;

/// <summary>
/// A starting node's advisor may be asked to host or wake a pipeline before its pipeline region has started (another member
/// sees its heartbeat first): it refuses, so the asker tries the next home, and keeps what it was doing (it used to throw
/// and restart, losing the creates that waited in it).
/// </summary>
public sealed class AdvisorBeforeRegionTests : Akka.TestKit.Xunit2.TestKit
{
    public AdvisorBeforeRegionTests() : base("akka.actor.provider = cluster\nakka.remote.dot-netty.tcp.port = 0")
    {
    }

    [Fact]
    public async Task A_host_or_wake_before_the_pipeline_region_starts_is_refused_not_thrown()
    {
        var node = NodeKey.Generate();
        var owner = NodeKey.Generate();
        var services = new PipelineServices(node.Address, node, new Secp256k1Verifier(), SourceCatalogue.BuiltIn, PluginCatalogue.Empty,
            new PipelineSettings(), TimeProvider.System, new HashSet<string>());
        var view = CreateTestProbe();
        var advisor = Sys.ActorOf(PlacementAdvisor.Props(view.Ref, PlacementSettings.Default, new PlacementBoard(), services));
        await view.ExpectMsgAsync<SubscribeVerifiedHeartbeats>();
        var self = new NodeResources(node.Address, Akka.Cluster.Cluster.Get(Sys).SelfAddress.ToString(), "n", 2, 8192, 4096, 0, null,
            [], [], [], [], 1, 1, DateTimeOffset.UtcNow);
        advisor.Tell(new VerifiedHeartbeats([self]), view.Ref);

        var create = SignedCommand.Create(PipelineActions.Create, "cam", JsonNode.Parse("""{ "NAME": "cam", "TYPE": "Void" }"""), owner, DateTimeOffset.UtcNow);
        var request = new PipelineCommandRequest(CommandEnvelope.PipelineIdOf(owner.Address, "cam"), create);
        advisor.Tell(new WakePipeline(request.PipelineId, request));
        Assert.Contains("has not started", (await ExpectMsgAsync<HostRefused>(TimeSpan.FromSeconds(10))).Reason);
        advisor.Tell(new HostPipeline(request));
        Assert.Contains("has not started", (await ExpectMsgAsync<HostRefused>(TimeSpan.FromSeconds(10))).Reason);
    }
}
