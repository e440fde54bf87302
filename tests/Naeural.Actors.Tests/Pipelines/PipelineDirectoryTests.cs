using System.Collections.Immutable;
using Akka.Actor;
using Akka.DistributedData;
using Naeural.Actors.Client;
using Naeural.Actors.Pipelines;
using Naeural.Actors.Security;
using Naeural.Ledger.Identity;
using Naeural.Ledger.Signing;
using Naeural.Testing;
using Xunit;

namespace Naeural.Actors.Tests.Pipelines;

/// <summary>The directory kept where pipelines run: listed by asking the members, nothing replicated, forged answers dropped.</summary>
public sealed class PipelineDirectoryTests : Akka.TestKit.Xunit2.TestKit
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(200);

    [Fact]
    public async Task Pipelines_hosted_on_every_member_are_listed_from_any_member_and_no_directory_is_replicated()
    {
        await using var network = await InProcessNetwork.StartAsync(3);
        var developer = new Developer();
        var client = developer.ClientFor(network[0]);
        await AwaitAssertAsync(async () => Assert.Equal(3, (await client.GetNodesAsync()).Nodes.Length), Bound, Poll);
        var deployed = await Task.WhenAll(Enumerable.Range(0, 6).Select(i => client.DeployAsync(Specs.Sensor($"listed-{i}", "PASS_THROUGH", rate: 1))));
        var homes = (await Task.WhenAll(deployed.Select(d => network[0].PipelineStatusAsync(d.PipelineId)))).ToDictionary(s => s.PipelineId, s => s.NodeId);
        Assert.True(homes.Values.Distinct().Count() >= 2, "spread over more than one member");

        var listed = await developer.ClientFor(network[2]).GetPipelinesAsync();
        Assert.Equal(homes.Keys.Order(StringComparer.Ordinal), listed.Select(p => p.PipelineId));
        Assert.All(listed, p => Assert.Equal((homes[p.PipelineId], PipelineStatus.Running), (p.NodeId, p.Status)));

        var keys = await DistributedData.Get(network[1].System).Replicator.Ask<GetKeysIdsResult>(Dsl.GetKeyIds, Bound);
        Assert.DoesNotContain(keys.Keys, k => k.Contains("pipelines", StringComparison.OrdinalIgnoreCase));

        await client.ArchiveAsync("listed-0");
        await AwaitAssertAsync(async () => Assert.Equal(5, (await client.GetPipelinesAsync()).Count), Bound, Poll);
    }

    [Fact]
    public void Summaries_forged_in_another_nodes_name_for_another_network_or_unsigned_are_not_listed_and_the_latest_genuine_one_wins()
    {
        var host = NodeKey.Generate();
        var attacker = NodeKey.Generate();
        var owner = NodeKey.Generate().Address.ToLowerInvariant();
        var genuine = new PipelineSummary($"{owner}/p", owner, "p", "Void", PipelineStatus.Running, 3, host.Address, 1, DateTimeOffset.UtcNow);
        var older = genuine with { Version = 2, UpdatedAt = genuine.UpdatedAt.AddSeconds(-5) };
        var answers = new[]
        {
            new HostedPipelines([SignedPipelineSummary.Sign(older, host, NetworkIds.Default)]),
            new HostedPipelines([
                SignedPipelineSummary.Sign(genuine, host, NetworkIds.Default),
                // In the host's name, signed by the attacker; archived, to hide it.
                SignedPipelineSummary.Sign(genuine with { Status = PipelineStatus.Archived, UpdatedAt = DateTimeOffset.UtcNow.AddDays(1) }, attacker, NetworkIds.Default),
                SignedPipelineSummary.Sign(genuine with { PipelineId = $"{owner}/ghost", Name = "ghost" }, attacker, NetworkIds.Default),
                SignedPipelineSummary.Sign(genuine with { PipelineId = $"{owner}/testnet", Name = "testnet" }, host, "naeural-testnet"),
                new SignedPipelineSummary(genuine with { PipelineId = $"{owner}/unsigned" }, null!),
                SignedPipelineSummary.Sign(genuine with { PipelineId = $"{attacker.Address.ToLowerInvariant()}/p", Owner = owner }, host, NetworkIds.Default),
                null!,
            ]),
            new HostedPipelines(default),
        };

        var merged = DirectoryMerge.Merge(answers, null, new Secp256k1Verifier(), NetworkIds.Default);

        var listed = Assert.Single(merged);
        Assert.Equal((genuine.PipelineId, 3L, host.Address), (listed.PipelineId, listed.Version, listed.NodeId));
        Assert.Empty(DirectoryMerge.Merge(answers, "0x0000000000000000000000000000000000000001", new Secp256k1Verifier(), NetworkIds.Default));
    }
}
