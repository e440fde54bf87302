using System.Collections.Immutable;
using System.Numerics;
using Naeural.Ledger.Epochs;
using Naeural.Actors.Security;

namespace Naeural.Ledger.Channels;

/// <summary>
/// The embedded settlement ledger's state and rules, the same as the contract's: balances, escrows, one settlement per channel,
/// dispute window, expiry, and epoch rewards (<see cref="EmbeddedRewards"/>). Immutable: each operation returns the new ledger or throws <see cref="SettlementException"/>.
/// </summary>
public sealed record EmbeddedLedger(
    ImmutableDictionary<string, BigInteger> Balances,
    ImmutableDictionary<string, ChannelRecord> Channels)
{
    public static EmbeddedLedger Empty { get; } = new(
        ImmutableDictionary<string, BigInteger>.Empty.WithComparers(AccountAddress.Comparer),
        ImmutableDictionary<string, ChannelRecord>.Empty.WithComparers(StringComparer.OrdinalIgnoreCase));

    public EmbeddedRewards Rewards { get; init; } = EmbeddedRewards.Empty;

    /// <summary>Node addresses holding a licence (admitted as members by nodes run with <c>--admit-licensed</c>).</summary>
    public ImmutableSortedSet<string> Licences { get; init; } = ImmutableSortedSet.Create<string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>Grants <paramref name="node"/> a licence (an authority's act; the gate checks who signed it).</summary>
    public EmbeddedLedger GrantLicence(string node) =>
        !ChannelIds.IsAddress(node) ? throw new SettlementException($"'{node}' is not a node address (0x and 40 hex digits)")
        : Licences.Contains(node) ? throw new SettlementException($"{node} holds a licence already")
        : this with { Licences = Licences.Add(node) };

    /// <summary>Revokes <paramref name="node"/>'s licence.</summary>
    public EmbeddedLedger RevokeLicence(string node) =>
        Licences.Contains(node) ? this with { Licences = Licences.Remove(node) } : throw new SettlementException($"{node} holds no licence");

    public BigInteger BalanceOf(string address) => Balances.GetValueOrDefault(address);

    public EmbeddedLedger Mint(string to, BigInteger amount) =>
        amount <= 0 ? throw new SettlementException("mint amount must be positive") : this with { Balances = Credit(Balances, to, amount) };

    public EmbeddedLedger Open(string payer, ChannelTerms terms, DateTimeOffset expiresAt)
    {
        if (!ChannelIds.IsCanonicalId(terms.ChannelId))
        {
            throw new SettlementException($"'{terms.ChannelId}' is not a canonical channel id (0x + 64 lower-case hex)");
        }

        if (Channels.ContainsKey(terms.ChannelId))
        {
            throw new SettlementException($"channel {terms.ChannelId} exists already");
        }

        if (!AccountAddress.Same(payer, terms.Payer))
        {
            throw new SettlementException("only the payer opens its channel");
        }

        if (terms.Deposit <= 0 || BalanceOf(payer) < terms.Deposit)
        {
            throw new SettlementException($"deposit {terms.Deposit} not covered by the payer's balance {BalanceOf(payer)}");
        }

        return this with
        {
            Balances = Credit(Balances, payer, -terms.Deposit),
            Channels = Channels.Add(terms.ChannelId, new ChannelRecord(terms.ChannelId, terms.Payer, terms.Payee, terms.Deposit, expiresAt, null, false, 0, 0)),
        };
    }

    public EmbeddedLedger Settle(string payee, SignedVoucher best, VoucherSigning signing, DateTimeOffset now)
    {
        var channel = Open(best.Voucher.ChannelId);
        if (!AccountAddress.Same(payee, channel.Payee))
        {
            throw new SettlementException("only the payee settles its channel");
        }

        if (channel.CloseRequestedUntil is { } until && now > until)
        {
            throw new SettlementException("the dispute window is over");
        }

        var terms = new ChannelTerms(channel.ChannelId, channel.Payer, channel.Payee, channel.Deposit);
        var decision = VoucherRules.Check(terms, ChannelBalance.Empty, best, signing);
        if (!decision.Accepted)
        {
            throw new SettlementException($"{decision.Code}: {decision.Reason}");
        }

        var paid = best.Voucher.CumulativeAmount;
        return Close(channel with { Settled = true, PaidToPayee = paid, RefundedToPayer = channel.Deposit - paid });
    }

    /// <summary>The payee always gets at least this long to answer a close request (the contract's MIN_DISPUTE_WINDOW).</summary>
    public static readonly TimeSpan MinDisputeWindow = TimeSpan.FromHours(1);

    public EmbeddedLedger RequestClose(string payer, string channelId, DateTimeOffset now, TimeSpan disputeWindow)
    {
        var channel = Open(channelId);
        if (!AccountAddress.Same(payer, channel.Payer))
        {
            throw new SettlementException("only the payer requests a close");
        }

        if (channel.CloseRequestedUntil is not null)
        {
            throw new SettlementException("a close was requested already");
        }

        return disputeWindow < MinDisputeWindow
            ? throw new SettlementException("the dispute window is shorter than MIN_DISPUTE_WINDOW")
            : this with { Channels = Channels.SetItem(channel.ChannelId, channel with { CloseRequestedUntil = now + disputeWindow }) };
    }

    public EmbeddedLedger Reclaim(string payer, string channelId, DateTimeOffset now)
    {
        var channel = Open(channelId);
        if (!AccountAddress.Same(payer, channel.Payer))
        {
            throw new SettlementException("only the payer reclaims");
        }

        var windowOver = channel.CloseRequestedUntil is { } until && now > until;
        if (!windowOver && now < channel.ExpiresAt)
        {
            throw new SettlementException("neither expired nor past a requested close's dispute window");
        }

        return Close(channel with { Settled = true, PaidToPayee = 0, RefundedToPayer = channel.Deposit });
    }

    public EmbeddedLedger SetObservers(IReadOnlyList<string> observers, int threshold) =>
        this with { Rewards = Rewards.SetObservers(observers, threshold) };

    public EmbeddedLedger FundEpoch(long epoch, BigInteger amount) => this with { Rewards = Rewards.Fund(epoch, amount) };

    /// <summary>A node's claim of its epoch reward (see <see cref="EmbeddedRewards.Claim"/>), credited to its balance.</summary>
    public EmbeddedLedger ClaimReward(string claimant, EpochResult result, IReadOnlyList<string> signatures, EpochResultSigning signing)
    {
        var (rewards, amount) = Rewards.Claim(claimant, result, signatures, signing);
        return this with { Rewards = rewards, Balances = Credit(Balances, claimant, amount) };
    }

    private ChannelRecord Open(string channelId) =>
        Channels.TryGetValue(channelId, out var channel)
            ? channel.Settled ? throw new SettlementException($"channel {channelId} is settled already") : channel
            : throw new SettlementException($"no channel {channelId}");

    private EmbeddedLedger Close(ChannelRecord closed) => this with
    {
        Channels = Channels.SetItem(closed.ChannelId, closed),
        Balances = Credit(Credit(Balances, closed.Payee, closed.PaidToPayee), closed.Payer, closed.RefundedToPayer),
    };

    private static ImmutableDictionary<string, BigInteger> Credit(ImmutableDictionary<string, BigInteger> balances, string who, BigInteger amount) =>
        balances.SetItem(who, balances.GetValueOrDefault(who) + amount);
}
