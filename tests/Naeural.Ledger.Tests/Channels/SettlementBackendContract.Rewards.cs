using System.Collections.Immutable;
using System.Numerics;
using Naeural.Ledger.Channels;
using Naeural.Ledger.Epochs;
using Naeural.Ledger.Identity;
using Xunit;

namespace Naeural.Ledger.Tests.Channels;

/// <summary>Epoch rewards: five registered observers, a threshold of three, three nodes in the result, one outsider.</summary>
public abstract partial class SettlementBackendContract
{
    private const long Epoch = 42;
    private static readonly BigInteger Pool = 1_000;

    private readonly NodeKey[] _observers = [.. Enumerable.Range(0, 5).Select(_ => NodeKey.Generate())];
    private readonly NodeKey[] _nodes = [.. Enumerable.Range(0, 3).Select(_ => NodeKey.Generate())];
    private readonly NodeKey _outsider = NodeKey.Generate();

    [Fact]
    public async Task A_node_claims_its_availability_share_of_the_pool_with_three_of_five_observer_signatures()
    {
        await RegisterAndFundAsync();
        var result = Result(255, 128, 17); // shares of 1,000 over 400: 637, 320, 42

        await Backend.ClaimRewardAsync(_nodes[1].Address, result, SignedBy(result, 0, 2, 4));

        Assert.Equal(320, await Backend.BalanceOfAsync(_nodes[1].Address));
        Assert.Equal(new EpochRewardRecord(Epoch, Pool, _nodes[1].Address, 320), await Backend.GetEpochRewardAsync(Epoch, _nodes[1].Address));
        Assert.Equal(0, (await Backend.GetEpochRewardAsync(Epoch, _nodes[0].Address)).Claimed);
        var registry = await Backend.GetObserversAsync();
        Assert.Equal(_observers.Select(o => o.Address), registry.Observers);
        Assert.Equal(3, registry.Threshold);
    }

    [Fact]
    public async Task A_claim_without_three_distinct_observers_signing_exactly_this_result_in_this_domain_is_refused()
    {
        await RegisterAndFundAsync();
        var result = Result(255, 128, 17);
        var two = SignedBy(result, 0, 1);
        var otherResult = Result(255, 128, 18);
        IReadOnlyList<string>[] shortOfThreshold =
        [
            two,
            [.. two, two[0], two[1], two[0]],
            [.. two, result.Sign(_outsider, Backend.Domain), result.Sign(NodeKey.Generate(), Backend.Domain)],
            [.. two, otherResult.Sign(_observers[2], Backend.Domain)],
            [.. two, result.Sign(_observers[2], Backend.Domain with { ChainId = Backend.Domain.ChainId + 1 })],
            [.. two, "0x1234", "not a signature", HighS(result.Sign(_observers[2], Backend.Domain))],
        ];

        foreach (var signatures in shortOfThreshold)
        {
            var refused = await Assert.ThrowsAsync<SettlementException>(() => Backend.ClaimRewardAsync(_nodes[0].Address, result, signatures));
            Assert.StartsWith("NOT_ENOUGH_SIGNATURES", refused.Message);
        }

        Assert.Equal(0, await Backend.BalanceOfAsync(_nodes[0].Address));
        Assert.Equal(0, (await Backend.GetEpochRewardAsync(Epoch, _nodes[0].Address)).Claimed);
        await Backend.ClaimRewardAsync(_nodes[0].Address, result, [.. two, "0x1234", two[0], result.Sign(_observers[3], Backend.Domain)]);
        Assert.Equal(637, await Backend.BalanceOfAsync(_nodes[0].Address)); // bad and repeated signatures beside three good ones do no harm
    }

    [Fact]
    public async Task A_reward_is_claimed_once()
    {
        await RegisterAndFundAsync();
        var result = Result(255, 128, 17);
        await Backend.ClaimRewardAsync(_nodes[2].Address, result, SignedBy(result, 0, 1, 2));

        var again = await Assert.ThrowsAsync<SettlementException>(() => Backend.ClaimRewardAsync(_nodes[2].Address, result, SignedBy(result, 2, 3, 4)));

        Assert.StartsWith("ALREADY_CLAIMED", again.Message);
        Assert.Equal(42, await Backend.BalanceOfAsync(_nodes[2].Address));
    }

    [Fact]
    public async Task A_node_not_in_the_result_cannot_claim_even_with_every_observers_signature()
    {
        await RegisterAndFundAsync();
        var result = Result(255, 128, 17);

        var refused = await Assert.ThrowsAsync<SettlementException>(() => Backend.ClaimRewardAsync(_outsider.Address, result, SignedBy(result, 0, 1, 2, 3, 4)));

        Assert.StartsWith("NOT_IN_RESULT", refused.Message);
        Assert.Equal(0, await Backend.BalanceOfAsync(_outsider.Address));
    }

    [Fact]
    public async Task When_every_node_claims_the_shares_sum_to_at_most_the_pool_and_a_conflicting_result_pays_nothing_more()
    {
        await RegisterAndFundAsync();
        var result = Result(255, 128, 17);
        var greedy = Result(1, 1, 255); // also signed by three observers (a threshold is not a majority of every possible set)
        await Backend.ClaimRewardAsync(_nodes[0].Address, result, SignedBy(result, 0, 1, 2));

        var conflicting = await Assert.ThrowsAsync<SettlementException>(() => Backend.ClaimRewardAsync(_nodes[2].Address, greedy, SignedBy(greedy, 2, 3, 4)));
        await Backend.ClaimRewardAsync(_nodes[1].Address, result, SignedBy(result, 1, 2, 3));
        await Backend.ClaimRewardAsync(_nodes[2].Address, result, SignedBy(result, 2, 3, 4));

        Assert.StartsWith("OTHER_RESULT", conflicting.Message);
        var paid = new List<BigInteger>();
        foreach (var node in _nodes)
        {
            paid.Add(await Backend.BalanceOfAsync(node.Address));
        }

        var shares = result.Rewards(Pool);
        Assert.Equal(_nodes.Select(n => shares[n.Address.ToLowerInvariant()]), paid);
        Assert.Equal(999, paid.Aggregate(BigInteger.Zero, (sum, p) => sum + p)); // <= the pool: rounding leaves 1 in it
    }

    [Fact]
    public async Task Observers_threshold_and_pools_are_checked_and_a_claim_needs_both()
    {
        var result = Result(255, 128, 17);
        var refused = await Assert.ThrowsAsync<SettlementException>(() => Backend.ClaimRewardAsync(_nodes[0].Address, result, SignedBy(result, 0, 1, 2)));
        Assert.StartsWith("NO_OBSERVERS", refused.Message);

        var observers = _observers.Select(o => o.Address).ToList();
        await Assert.ThrowsAsync<SettlementException>(() => Backend.SetObserversAsync(observers, 0));
        await Assert.ThrowsAsync<SettlementException>(() => Backend.SetObserversAsync(observers, 6));
        await Assert.ThrowsAsync<SettlementException>(() => Backend.SetObserversAsync([.. observers.Take(4), observers[0].ToLowerInvariant()], 3));
        await Backend.SetObserversAsync(observers, 3);
        refused = await Assert.ThrowsAsync<SettlementException>(() => Backend.ClaimRewardAsync(_nodes[0].Address, result, SignedBy(result, 0, 1, 2)));
        Assert.StartsWith("NO_POOL", refused.Message);

        await Assert.ThrowsAsync<SettlementException>(() => Backend.FundEpochAsync(Epoch, 0));
        await Backend.FundEpochAsync(Epoch, Pool);
        await Assert.ThrowsAsync<SettlementException>(() => Backend.FundEpochAsync(Epoch, Pool));
        Assert.Equal(Pool, (await Backend.GetEpochRewardAsync(Epoch, _nodes[0].Address)).Pool);

        await Backend.SetObserversAsync(observers.Skip(2).ToList(), 2); // replaced: observers 0 and 1 no longer count
        refused = await Assert.ThrowsAsync<SettlementException>(() => Backend.ClaimRewardAsync(_nodes[0].Address, result, SignedBy(result, 0, 1, 2)));
        Assert.StartsWith("NOT_ENOUGH_SIGNATURES", refused.Message);
        await Backend.ClaimRewardAsync(_nodes[0].Address, result, SignedBy(result, 0, 1, 2, 3));
        Assert.Equal(637, await Backend.BalanceOfAsync(_nodes[0].Address));
    }

    [Fact]
    public async Task A_node_whose_share_rounds_to_nothing_has_nothing_to_claim()
    {
        await Backend.SetObserversAsync([.. _observers.Select(o => o.Address)], 3);
        await Backend.FundEpochAsync(Epoch, 10);
        var result = Result(255, 10, 0); // 10 × 10 / 265 = 0; and 0 of anything

        foreach (var node in _nodes.Skip(1))
        {
            var refused = await Assert.ThrowsAsync<SettlementException>(() => Backend.ClaimRewardAsync(node.Address, result, SignedBy(result, 0, 1, 2)));
            Assert.StartsWith("NOTHING_TO_CLAIM", refused.Message);
        }
    }

    private async Task RegisterAndFundAsync()
    {
        await Backend.SetObserversAsync([.. _observers.Select(o => o.Address)], 3);
        await Backend.FundEpochAsync(Epoch, Pool);
    }

    /// <summary>The epoch's result: the i-th availability is the i-th node's (nodes named in lower case, as observers table them).</summary>
    private EpochResult Result(params byte[] availabilities) =>
        new(Epoch, _nodes.Zip(availabilities).ToImmutableSortedDictionary(p => p.Item1.Address.ToLowerInvariant(), p => p.Item2, StringComparer.Ordinal));

    private IReadOnlyList<string> SignedBy(EpochResult result, params int[] observers) =>
        [.. observers.Select(i => result.Sign(_observers[i], Backend.Domain))];

    /// <summary>The same signature in its other, high-s form (s' = n - s, v flipped): valid maths, refused by both backends.</summary>
    private static string HighS(string signature)
    {
        var n = BigInteger.Parse("0FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141", System.Globalization.NumberStyles.HexNumber);
        var bytes = Convert.FromHexString(signature[2..]);
        var s = new BigInteger(bytes.AsSpan(32, 32), isUnsigned: true, isBigEndian: true);
        var flipped = (n - s).ToByteArray(isUnsigned: true, isBigEndian: true);
        Array.Clear(bytes, 32, 32);
        flipped.CopyTo(bytes, 64 - flipped.Length);
        bytes[64] = (byte)(bytes[64] == 27 ? 28 : 27);
        return "0x" + Convert.ToHexStringLower(bytes);
    }
}
