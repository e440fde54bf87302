using System.Collections.Immutable;
using System.Numerics;
using Naeural.Ledger.Epochs;
using Naeural.Ledger.Signing;
using Nethereum.Util;
using Naeural.Actors.Security;

namespace Naeural.Ledger.Channels;

/// <summary>
/// The embedded ledger's epoch rewards, with the contract's rules and refusal reasons: the observer registry and threshold,
/// each epoch's pool (minted once), the result each epoch's first claim pinned (its EIP-712 digest), and what each node
/// claimed. Immutable: each operation returns the new state or throws <see cref="SettlementException"/>.
/// </summary>
public sealed record EmbeddedRewards(
    ObserverRegistry Registry,
    ImmutableDictionary<long, BigInteger> Pools,
    ImmutableDictionary<long, string> Results,
    ImmutableDictionary<(long Epoch, string Node), BigInteger> Claims)
{
    public static EmbeddedRewards Empty { get; } = new(
        ObserverRegistry.None,
        ImmutableDictionary<long, BigInteger>.Empty,
        ImmutableDictionary<long, string>.Empty,
        ImmutableDictionary<(long, string), BigInteger>.Empty);

    public EpochRewardRecord RewardOf(long epoch, string node) =>
        new(epoch, Pools.GetValueOrDefault(epoch), node, Claims.GetValueOrDefault((epoch, node.ToLowerInvariant())));

    /// <summary>Replaces the registry: distinct non-zero addresses (kept EIP-55 checksummed), a threshold from 1 to their number.</summary>
    public EmbeddedRewards SetObservers(IReadOnlyList<string> observers, int threshold)
    {
        if (threshold < 1 || threshold > observers.Count)
        {
            throw new SettlementException("the threshold must be from 1 to the number of observers");
        }

        var checksummed = new List<string>();
        foreach (var observer in observers)
        {
            var address = AddressBytesOrNull(observer);
            if (address is null || address.All(b => b == 0) || checksummed.Contains(observer, AccountAddress.Comparer))
            {
                throw new SettlementException("observers must be distinct non-zero addresses");
            }

            checksummed.Add(AddressUtil.Current.ConvertToChecksumAddress(observer));
        }

        return this with { Registry = new ObserverRegistry([.. checksummed], threshold) };
    }

    /// <summary>Mints <paramref name="epoch"/>'s pool, once: shares are computed on it, so it can't change under earlier claims.</summary>
    public EmbeddedRewards Fund(long epoch, BigInteger amount)
    {
        if (epoch < 0)
        {
            throw new SettlementException("an epoch is not negative");
        }

        if (amount <= 0)
        {
            throw new SettlementException("the reward pool must be positive");
        }

        return Pools.ContainsKey(epoch)
            ? throw new SettlementException("the epoch is funded already")
            : this with { Pools = Pools.Add(epoch, amount) };
    }

    /// <summary>
    /// <paramref name="claimant"/>'s claim on <paramref name="result"/>'s epoch, checked in the contract's order; returns the new
    /// state and the amount to credit.
    /// </summary>
    public (EmbeddedRewards Rewards, BigInteger Amount) Claim(string claimant, EpochResult result, IReadOnlyList<string> signatures, EpochResultSigning signing)
    {
        if (Registry.Threshold == 0)
        {
            throw new SettlementException("NO_OBSERVERS: no observers are registered");
        }

        var entries = CanonicalOrRefused(result);
        var pool = Pools.GetValueOrDefault(result.Epoch);
        if (pool == 0)
        {
            throw new SettlementException("NO_POOL: the epoch has no reward pool");
        }

        var mine = entries.Where(e => AccountAddress.Same(e.Node, claimant)).Select(e => (int?)e.Availability).FirstOrDefault()
                   ?? throw new SettlementException("NOT_IN_RESULT: the claimant is not a node of this result");
        var key = (result.Epoch, claimant.ToLowerInvariant());
        if (Claims.ContainsKey(key))
        {
            throw new SettlementException("ALREADY_CLAIMED: this node claimed its reward of this epoch already");
        }

        var digest = "0x" + Convert.ToHexStringLower(signing.Digest(result));
        if (Results.TryGetValue(result.Epoch, out var pinned) && pinned != digest)
        {
            throw new SettlementException("OTHER_RESULT: a different result of this epoch was claimed already");
        }

        var observers = Registry.Observers.ToHashSet(AccountAddress.Comparer);
        if (signing.Signers(result, signatures).Count(observers.Contains) < Registry.Threshold)
        {
            throw new SettlementException("NOT_ENOUGH_SIGNATURES: fewer distinct observers than the threshold signed this result");
        }

        var total = entries.Sum(e => e.Availability);
        var amount = total == 0 ? BigInteger.Zero : pool * mine / total;
        return amount == 0
            ? throw new SettlementException("NOTHING_TO_CLAIM: the claimant's share is zero")
            : (this with { Results = Results.SetItem(result.Epoch, digest), Claims = Claims.Add(key, amount) }, amount);
    }

    private static IReadOnlyList<(string Node, byte Availability)> CanonicalOrRefused(EpochResult result)
    {
        try
        {
            var entries = EpochResultSigning.Canonical(result);
            return result.Epoch >= 0 && entries.Count > 0
                ? entries
                : throw new SettlementException("BAD_RESULT: one availability per node, at least one node");
        }
        catch (ArgumentException e)
        {
            throw new SettlementException($"BAD_RESULT: {e.Message}");
        }
    }

    private static byte[]? AddressBytesOrNull(string candidate)
    {
        try
        {
            return Eip712.AddressBytes(candidate);
        }
        catch (ArgumentException)
        {
            return null;
        }
    }
}
