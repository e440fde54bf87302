using System.Numerics;
using System.Security.Cryptography;
using Akka.Actor;
using Naeural.Ledger.Channels;
using Naeural.Ledger.Signing;
using Naeural.Ledger.Identity;
using Xunit;

namespace Naeural.Ledger.Tests.Channels;

/// <summary>
/// The behaviour every settlement backend must have (the embedded ledger, the EVM contract): one suite, run against each.
/// Channels here; epoch rewards in <c>SettlementBackendContract.Rewards.cs</c>.
/// </summary>
public abstract partial class SettlementBackendContract : Akka.TestKit.Xunit2.TestKit, IAsyncLifetime
{
    private readonly NodeKey _payer = NodeKey.Generate();
    private readonly NodeKey _payee = NodeKey.Generate();

    protected SettlementBackendContract(string config)
        : base(config)
    {
    }

    protected ISettlementBackend Backend { get; private set; } = null!;

    /// <summary>A backend on which each of <paramref name="parties"/> can act (pay, settle, claim); the backend's owner mints.</summary>
    protected abstract Task<ISettlementBackend> CreateBackendAsync(params NodeKey[] parties);

    /// <summary>Moves the backend's clock (a manual clock, or the chain's block time).</summary>
    protected abstract Task AdvanceAsync(TimeSpan by);

    /// <summary>The backend's clock as the payee node reads it (moved by <see cref="AdvanceAsync"/>).</summary>
    protected abstract TimeProvider Clock { get; }

    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);

    public async Task InitializeAsync() => Backend = await CreateBackendAsync([_payer, _payee, .. _nodes, _outsider]);

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_thousand_vouchers_paid_off_chain_settle_once_for_the_best_with_the_rest_back_to_the_payer()
    {
        var terms = await OpenAsync(deposit: 1_000_000);
        var signing = new VoucherSigning(Backend.Domain);
        var balance = ChannelBalance.Empty;
        for (var i = 1; i <= 1_000; i++)
        {
            var decision = VoucherRules.Check(terms, balance, signing.Sign(_payer, new Voucher(terms.ChannelId, i * 7, i)), signing);
            Assert.True(decision.Accepted, decision.Reason);
            balance = decision.Balance;
        }

        await Backend.SettleAsync(_payee.Address, balance.Best!);

        Assert.Equal(7_000, await Backend.BalanceOfAsync(_payee.Address));
        Assert.Equal(2_000_000 - 7_000, await Backend.BalanceOfAsync(_payer.Address));
        var channel = (await Backend.GetChannelAsync(terms.ChannelId))!;
        Assert.True(channel.Settled);
        Assert.Equal((new BigInteger(7_000), new BigInteger(1_000_000 - 7_000)), (channel.PaidToPayee, channel.RefundedToPayer));
        await Assert.ThrowsAsync<SettlementException>(() => Backend.SettleAsync(_payee.Address, balance.Best!));
    }

    [Fact]
    public async Task Forged_over_deposit_and_foreign_settlements_are_refused_and_change_nothing()
    {
        var terms = await OpenAsync(deposit: 500);
        var signing = new VoucherSigning(Backend.Domain);

        await Assert.ThrowsAsync<SettlementException>(() => Backend.SettleAsync(_payee.Address, signing.Sign(NodeKey.Generate(), new Voucher(terms.ChannelId, 100, 1))));
        await Assert.ThrowsAsync<SettlementException>(() => Backend.SettleAsync(_payee.Address, signing.Sign(_payer, new Voucher(terms.ChannelId, 501, 1))));
        await Assert.ThrowsAsync<SettlementException>(() => Backend.SettleAsync(_payer.Address, signing.Sign(_payer, new Voucher(terms.ChannelId, 100, 1))));

        Assert.Equal(0, await Backend.BalanceOfAsync(_payee.Address));
        Assert.False((await Backend.GetChannelAsync(terms.ChannelId))!.Settled);
    }

    [Fact]
    public async Task After_a_close_request_the_payee_settles_within_the_dispute_window_and_not_after()
    {
        var signing = new VoucherSigning(Backend.Domain);
        var answered = await OpenAsync(deposit: 1_000);
        await Backend.RequestCloseAsync(_payer.Address, answered.ChannelId, TimeSpan.FromHours(1));
        await AdvanceAsync(TimeSpan.FromMinutes(59));
        await Backend.SettleAsync(_payee.Address, signing.Sign(_payer, new Voucher(answered.ChannelId, 300, 1)));
        Assert.Equal(300, await Backend.BalanceOfAsync(_payee.Address));

        var ignored = await OpenAsync(deposit: 1_000);
        await Backend.RequestCloseAsync(_payer.Address, ignored.ChannelId, TimeSpan.FromHours(1));
        await Assert.ThrowsAsync<SettlementException>(() => Backend.ReclaimAsync(_payer.Address, ignored.ChannelId));
        await AdvanceAsync(TimeSpan.FromHours(2));
        await Assert.ThrowsAsync<SettlementException>(() => Backend.SettleAsync(_payee.Address, signing.Sign(_payer, new Voucher(ignored.ChannelId, 300, 1))));
        await Backend.ReclaimAsync(_payer.Address, ignored.ChannelId);
        Assert.Equal(2_000_000 - 300, await Backend.BalanceOfAsync(_payer.Address)); // 300 paid on the first channel, the second fully reclaimed
    }

    [Fact]
    public async Task A_close_request_cannot_shorten_the_payees_dispute_window()
    {
        var terms = await OpenAsync(deposit: 1_000);

        await Assert.ThrowsAsync<SettlementException>(() => Backend.RequestCloseAsync(_payer.Address, terms.ChannelId, TimeSpan.Zero));
        await Backend.RequestCloseAsync(_payer.Address, terms.ChannelId, TimeSpan.FromHours(1));
        await Assert.ThrowsAsync<SettlementException>(() => Backend.RequestCloseAsync(_payer.Address, terms.ChannelId, TimeSpan.FromHours(2)));
    }

    [Fact]
    public async Task An_expired_channel_returns_its_deposit_to_the_payer()
    {
        var terms = await OpenAsync(deposit: 800, duration: TimeSpan.FromDays(1));
        await Assert.ThrowsAsync<SettlementException>(() => Backend.ReclaimAsync(_payer.Address, terms.ChannelId));

        await AdvanceAsync(TimeSpan.FromDays(2));
        await Backend.ReclaimAsync(_payer.Address, terms.ChannelId);

        Assert.Equal(2_000_000, await Backend.BalanceOfAsync(_payer.Address));
    }

    [Fact]
    public async Task A_payer_that_requests_a_close_then_reclaims_after_the_dispute_window_finds_the_payee_settled_for_its_best_voucher()
    {
        var terms = await OpenAsync(deposit: 1_000);
        var channel = await PayeeTracksAsync(terms);
        await PayAsync(channel, terms, 100, 1);
        await PayAsync(channel, terms, 400, 2);

        await Backend.RequestCloseAsync(_payer.Address, terms.ChannelId, TimeSpan.FromHours(1));
        await AwaitAssertAsync(async () => Assert.True((await Backend.GetChannelAsync(terms.ChannelId))!.Settled, "the payee settled on its own"),
            Bound, TimeSpan.FromMilliseconds(100));
        var late = await channel.Ask<ChannelRefused>(new PayWithVoucher(terms.ChannelId, new VoucherSigning(Backend.Domain).Sign(_payer, new Voucher(terms.ChannelId, 600, 3))), Bound);
        await AdvanceAsync(TimeSpan.FromHours(2));
        await Assert.ThrowsAsync<SettlementException>(() => Backend.ReclaimAsync(_payer.Address, terms.ChannelId));

        Assert.Equal("SETTLED", late.Code);
        Assert.Equal(400, await Backend.BalanceOfAsync(_payee.Address));
        Assert.Equal(2_000_000 - 400, await Backend.BalanceOfAsync(_payer.Address));
    }

    [Fact]
    public async Task A_channel_near_its_expiry_is_settled_by_the_payee_before_the_payer_can_reclaim_it()
    {
        var terms = await OpenAsync(deposit: 1_000, duration: TimeSpan.FromDays(1));
        var channel = await PayeeTracksAsync(terms);
        await PayAsync(channel, terms, 250, 1);

        await AdvanceAsync(TimeSpan.FromDays(1) - TimeSpan.FromMinutes(5));
        await AwaitAssertAsync(async () => Assert.True((await Backend.GetChannelAsync(terms.ChannelId))!.Settled, "the payee settled before expiry"),
            Bound, TimeSpan.FromMilliseconds(100));
        await AdvanceAsync(TimeSpan.FromDays(1));
        await Assert.ThrowsAsync<SettlementException>(() => Backend.ReclaimAsync(_payer.Address, terms.ChannelId));

        Assert.Equal(250, await Backend.BalanceOfAsync(_payee.Address));
        Assert.Equal(250, (await Backend.GetChannelAsync(terms.ChannelId))!.PaidToPayee);
    }

    private async Task<IActorRef> PayeeTracksAsync(ChannelTerms terms)
    {
        var channel = Sys.ActorOf(PaymentChannelEntity.Props(terms.ChannelId, _payee.Address, Backend, new Secp256k1Verifier(), Clock,
            new PaymentChannelSettings { WatchInterval = TimeSpan.FromMilliseconds(200) }));
        await channel.Ask<ChannelTracked>(new TrackChannel(terms.ChannelId), Bound);
        return channel;
    }

    private async Task PayAsync(IActorRef channel, ChannelTerms terms, BigInteger cumulative, BigInteger nonce) =>
        await channel.Ask<VoucherPaid>(new PayWithVoucher(terms.ChannelId, new VoucherSigning(Backend.Domain).Sign(_payer, new Voucher(terms.ChannelId, cumulative, nonce))), Bound);

    private async Task<ChannelTerms> OpenAsync(BigInteger deposit, TimeSpan? duration = null)
    {
        if (await Backend.BalanceOfAsync(_payer.Address) == 0)
        {
            await Backend.MintAsync(_payer.Address, 2_000_000);
        }

        var terms = new ChannelTerms("0x" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32)), _payer.Address, _payee.Address, deposit);
        await Backend.OpenChannelAsync(_payer.Address, terms, duration ?? TimeSpan.FromDays(30));
        return terms;
    }
}
