using Akka.Actor;
using Akka.Hosting;
using Naeural.Actors.Api;
using Naeural.Actors.Hosting;
using Naeural.Actors.Inference;
using Naeural.Actors.Jobs;
using Naeural.Actors.Metering;
using Naeural.Actors.Network;
using Naeural.Actors.Nodes;
using Naeural.Actors.Pipelines;
using Naeural.Actors.Placement;
using Naeural.Actors.Plugins;
using Naeural.Actors.Replication;
using Naeural.Host.Hosting;
using Naeural.Inference.Serving;
using Naeural.Ledger.Billing;
using Naeural.Ledger.Channels;
using Naeural.Ledger.Epochs;
using Naeural.Ledger.Hosting;
using Naeural.Ledger.Replication;
using Naeural.Testing;
using Xunit;

namespace Naeural.Host.Tests.Hosting;

/// <summary>
/// A node is composed of each project's own Akka.Hosting extension: each registers what it owns in the node's actor
/// registry, where the node's actors find one another (no path strings), and lists what peers may select of it.
/// </summary>
public sealed class NodeCompositionTests(SingleNodeFixture fixture) : IClassFixture<SingleNodeFixture>
{
    private ActorRegistry Registry => ActorRegistry.For(fixture.Node.System);

    [Fact]
    public void Each_project_registers_the_actors_it_owns()
    {
        Type[] kernel = [typeof(WorkMeter), typeof(NetworkView), typeof(PlacementAdvisor), typeof(PipelineReplica), typeof(NodeEntity),
            typeof(PluginInstanceEntity), typeof(PipelineEntity), typeof(JobShareWorker), typeof(DistributedJobEntity),
            typeof(ResourcePublisher), typeof(PipelineDirectory), typeof(NodeApi)];
        Type[] inference = [typeof(InferenceService), typeof(InferenceEndpoint)];
        Type[] ledger = [typeof(LedgerReplica), typeof(LedgerGate), typeof(PaymentChannelEntity), typeof(NodeBilling), typeof(EpochArchive), typeof(EpochObserver)];

        var missing = kernel.Concat(inference).Concat(ledger).Where(key => !Registry.TryGet(key, out _)).Select(key => key.Name).ToList();

        Assert.Empty(missing);
    }

    [Fact]
    public void Actors_of_the_node_find_one_another_in_the_registry_under_the_owners_key()
    {
        // Plugin instances reach inference through the kernel's endpoint key: it is the inference project's service.
        Assert.Equal(Registry.Get<InferenceService>(), NodeActors.Find(typeof(InferenceEndpoint), fixture.Node.System));
        Assert.Equal(Registry.Get<WorkMeter>(), NodeActors.Find<WorkMeter>(fixture.Node.System));
        Assert.Equal(Registry.Get<PipelineReplica>(), NodeActors.Find<PipelineReplica>(fixture.Node.System));
    }

    [Fact]
    public void An_actor_system_without_the_node_actors_finds_nobody_rather_than_throwing()
    {
        using var bare = ActorSystem.Create("bare");

        Assert.Equal(ActorRefs.Nobody, NodeActors.Find<WorkMeter>(bare));
    }

    [Fact]
    public async Task What_peers_may_select_is_what_each_project_lists_and_each_listed_actor_exists()
    {
        Assert.Equal([.. KernelHosting.SelectablePaths, .. LedgerHosting.SelectablePaths], NaeuralAkkaSetup.TrustedSelectionPaths);
        // The node's own actors each project lists are there to be selected (coordinators and the singleton start with membership).
        var local = NaeuralAkkaSetup.TrustedSelectionPaths.Where(p => p.StartsWith("/user/", StringComparison.Ordinal) && !p.Contains("/ledger/", StringComparison.Ordinal));
        foreach (var path in local)
        {
            var identity = await fixture.Node.System.ActorSelection(path).Ask<ActorIdentity>(new Identify(path), TimeSpan.FromSeconds(5));
            Assert.True(identity.Subject is not null, $"{path} is listed as selectable but no actor is there");
        }
    }
}
