using System.Collections.Immutable;
using System.Text.Json.Nodes;
using Naeural.Actors.Network;
using Naeural.Actors.Nodes;
using Naeural.Actors.Pipelines;
using Naeural.Actors.Placement;
using Xunit;

namespace Naeural.Fast.Tests.Placement;

public sealed class PlacementPolicyTests
{
    private const string Owner = "0x1111111111111111111111111111111111111111";
    private static readonly PlacementSettings Settings = PlacementSettings.Default with { Rebalance = true };

    [Fact]
    public void Requirements_are_read_from_the_spec_and_bad_values_name_their_field()
    {
        var errors = new List<SpecError>();
        var requirements = PlacementRequirements.FromSpec(Spec("""{ "GPU": true, "MIN_MEMORY_MB": 512, "MODELS": ["mlp"], "TAGS": ["edge"], "MAX_PRICE": 3 }"""), errors);
        Assert.Empty(errors);
        Assert.Equal((true, 512L, "mlp", "edge", (long?)3), (requirements.Gpu, requirements.MinMemoryMb, requirements.Models.Single(), requirements.Tags.Single(), requirements.MaxPrice));

        PlacementRequirements.FromSpec(Spec("""{ "TAGS": "edge", "NODE": "node-7", "MIN_MEMORY_MB": -1 }"""), errors);
        Assert.Equal(["PLACEMENT.MIN_MEMORY_MB", "PLACEMENT.NODE", "PLACEMENT.TAGS"], errors.Select(e => e.Field).Order());

        var notHex = new List<SpecError>(); // 0x and 40 characters, not hex digits: no node has that id
        PlacementRequirements.FromSpec(Spec($$"""{ "NODE": "0x{{new string('z', 40)}}" }"""), notHex);
        Assert.Equal(["PLACEMENT.NODE"], notHex.Select(e => e.Field));
    }

    [Fact]
    public void Only_fitting_nodes_are_chosen_and_when_none_fits_the_reason_names_each_node()
    {
        var cpu = Node("0xa", "cpu");
        var gpu = Node("0xb", "gpu", gpu: true);
        var closed = Node("0xc", "closed", gpu: true, allowed: ["0x2222222222222222222222222222222222222222"]);
        var dear = Node("0xd", "dear", gpu: true, price: 10);
        var candidates = new[] { cpu, gpu, closed, dear }.Select(n => new PlacementCandidate(n, 0)).ToList();

        var gpuOnly = PlacementRequirements.None with { Gpu = true, MaxPrice = 5 };
        Assert.Equal("0xb", PlacementPolicy.Choose($"{Owner}/p", gpuOnly, candidates, Settings).Node!.Resources.NodeId);

        var pinned = PlacementRequirements.None with { Node = "0xA" };
        Assert.Equal("0xa", PlacementPolicy.Choose($"{Owner}/p", pinned, candidates, Settings).Node!.Resources.NodeId);

        var nowhere = PlacementPolicy.Choose($"{Owner}/p", PlacementRequirements.None with { Tags = ["camera"] }, candidates, Settings);
        Assert.Null(nowhere.Node);
        Assert.Contains("cpu (0xa) lacks tag 'camera'", nowhere.Reason);
        Assert.Contains("closed (0xc) does not allow the owner", nowhere.Reason);

        var unreachable = PlacementPolicy.Choose($"{Owner}/p", gpuOnly, [new PlacementCandidate(gpu with { Reachable = false }, 0)], Settings);
        Assert.Contains("is unreachable", unreachable.Reason);
    }

    [Fact]
    public void The_node_with_the_fewest_pipelines_wins_and_load_breaks_ties()
    {
        var busy = new PlacementCandidate(Node("0xa", "a"), 5);
        var idle = new PlacementCandidate(Node("0xb", "b"), 2);
        Assert.Equal("0xb", PlacementPolicy.Choose($"{Owner}/p", PlacementRequirements.None, [busy, idle], Settings).Node!.Resources.NodeId);

        var loaded = new PlacementCandidate(Node("0xa", "a", cpuLoad: 1.8), 2);
        Assert.Equal("0xb", PlacementPolicy.Choose($"{Owner}/p", PlacementRequirements.None, [loaded, idle], Settings).Node!.Resources.NodeId);
    }

    [Fact]
    public void Rebalancing_moves_a_bounded_few_from_the_busiest_to_the_idlest_and_only_what_fits_there()
    {
        var nodes = new[] { Node("0xa", "a"), Node("0xb", "b"), Node("0xc", "c", tags: ["edge"]) };
        var byNode = new Dictionary<string, ImmutableArray<string>>
        {
            ["0xa"] = [.. Enumerable.Range(0, 20).Select(i => $"{Owner}/p{i:00}")],
            ["0xb"] = [.. Enumerable.Range(20, 19).Select(i => $"{Owner}/p{i:00}")],
            ["0xc"] = [],
        };
        var needsGpu = $"{Owner}/p00";
        PlacementRequirements RequirementsOf(string id) => id == needsGpu ? PlacementRequirements.None with { Gpu = true } : PlacementRequirements.None;

        var moves = PlacementPolicy.Rebalance(byNode, nodes, RequirementsOf, Settings);

        Assert.Equal(Settings.MaxMovesPerRebalance, moves.Count);
        Assert.All(moves, m => Assert.Contains(m, byNode["0xa"]));
        Assert.DoesNotContain(needsGpu, moves);

        byNode["0xc"] = [.. Enumerable.Range(0, 18).Select(i => $"{Owner}/q{i:00}")];
        Assert.Empty(PlacementPolicy.Rebalance(byNode, nodes, RequirementsOf, Settings)); // spread 2: below the threshold
    }

    private static JsonObject Spec(string placement) =>
        (JsonObject)JsonNode.Parse($$"""{ "NAME": "p", "TYPE": "Void", "PLACEMENT": {{placement}} }""")!;

    private static NetworkNode Node(string id, string alias, bool gpu = false, string[]? allowed = null, long price = 1, double cpuLoad = 0, string[]? tags = null) =>
        new(new NodeResources(id, $"akka.tcp://naeural@127.0.0.1:{id.GetHashCode() & 0xffff}", alias, 2, 8192, 4096, cpuLoad,
            gpu ? new GpuInfo("test-gpu", 16_000) : null, [], [], [.. tags ?? []], [.. allowed ?? []], price, 100, DateTimeOffset.UnixEpoch), Reachable: true);
}
