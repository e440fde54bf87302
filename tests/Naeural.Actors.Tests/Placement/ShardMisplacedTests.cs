using Naeural.Actors.Pipelines;
using Naeural.Actors.Placement;
using Naeural.Ledger.Identity;
using Naeural.Ledger.Signing;
using Xunit;

namespace Naeural.Actors.Tests.Placement;

/// <summary>
/// A node gives up a pipeline's shard only by its own signature, for that pipeline, on this network, now: what a hostile
/// member forges or replays is refused before the coordinator's node looks at where the shard is.
/// </summary>
public sealed class ShardMisplacedTests
{
    private const string Network = "naeural-test";
    private static readonly TimeSpan Freshness = TimeSpan.FromMinutes(2);
    private static readonly Secp256k1Verifier Verifier = new();
    private readonly NodeKey _holder = NodeKey.Generate();
    private readonly NodeKey _hostile = NodeKey.Generate();
    private readonly PipelineCommandRequest _create = new("0xowner/camera", null!);
    private readonly DateTimeOffset _now = DateTimeOffset.UtcNow;

    [Fact]
    public void The_holders_own_fresh_release_holds()
    {
        Assert.Null(ShardMisplaced.Sign("0xowner/camera", _create, _holder, Network, _now).Problem(Verifier, Network, _now, Freshness));
    }

    [Fact]
    public void A_release_in_another_nodes_name_a_replayed_one_another_network_or_another_pipeline_is_refused()
    {
        var forged = ShardMisplaced.Sign("0xowner/camera", _create, _hostile, Network, _now) with { NodeId = _holder.Address };
        Assert.NotNull(forged.Problem(Verifier, Network, _now, Freshness));

        var old = ShardMisplaced.Sign("0xowner/camera", _create, _holder, Network, _now - TimeSpan.FromMinutes(10));
        Assert.Equal("it is not fresh", old.Problem(Verifier, Network, _now, Freshness));

        Assert.NotNull(ShardMisplaced.Sign("0xowner/camera", _create, _holder, "other-net", _now).Problem(Verifier, Network, _now, Freshness));
        var moved = ShardMisplaced.Sign("0xowner/camera", _create, _holder, Network, _now) with { PipelineId = "0xowner/other" };
        Assert.NotNull(moved.Problem(Verifier, Network, _now, Freshness));
        Assert.NotNull((ShardMisplaced.Sign("0xowner/camera", _create, _holder, Network, _now) with { NodeId = "node-1" }).Problem(Verifier, Network, _now, Freshness));
    }
}
