using Akka.Actor;
using Naeural.Ledger.Channels;
using Naeural.Ledger.Identity;
using Naeural.Ledger.Signing;
using Xunit;

namespace Naeural.Ledger.Tests.Channels;

public sealed class PaymentChannelEntityTests : Akka.TestKit.Xunit2.TestKit
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);
    private readonly NodeKey _payer = NodeKey.Generate();
    private readonly NodeKey _payee = NodeKey.Generate();
    private readonly EmbeddedSettlement _backend;
    private readonly VoucherSigning _signing = new(VoucherDomain.Embedded);
    private readonly string _channel = "0x" + new string('5', 64);

    public PaymentChannelEntityTests()
        : base("akka.persistence.journal.plugin = \"akka.persistence.journal.inmem\"\nakka.loglevel = WARNING")
    {
        _backend = new EmbeddedSettlement(Sys.ActorOf(EmbeddedLedgerActor.Props("ledger", _signing, TimeProvider.System)));
    }

    [Fact]
    public async Task The_payee_tracks_a_confirmed_channel_takes_only_good_vouchers_and_settles_once_with_the_best()
    {
        await _backend.MintAsync(_payer.Address, 1_000);
        await _backend.OpenChannelAsync(_payer.Address, new ChannelTerms(_channel, _payer.Address, _payee.Address, 1_000), TimeSpan.FromDays(1));
        var channel = Sys.ActorOf(PaymentChannelEntity.Props(_channel, _payee.Address, _backend, new Secp256k1Verifier(), TimeProvider.System));

        Assert.Equal(1_000, (await channel.Ask<ChannelTracked>(new TrackChannel(_channel), Bound)).Terms.Deposit);
        Assert.Equal(100, (await channel.Ask<VoucherPaid>(new PayWithVoucher(_channel, _signing.Sign(_payer, new Voucher(_channel, 100, 1))), Bound)).Increment);
        var paid = await channel.Ask<VoucherPaid>(new PayWithVoucher(_channel, _signing.Sign(_payer, new Voucher(_channel, 250, 2))), Bound);
        Assert.Equal((150, 250), ((int)paid.Increment, (int)paid.Collected));
        var replay = await channel.Ask<ChannelRefused>(new PayWithVoucher(_channel, _signing.Sign(_payer, new Voucher(_channel, 250, 2))), Bound);
        Assert.Equal(VoucherRules.NotIncreasing, replay.Code);

        Assert.Equal(250, (int)(await channel.Ask<ChannelSettledAck>(new SettleNow(_channel), Bound)).Paid);
        Assert.Equal("SETTLED", (await channel.Ask<ChannelRefused>(new SettleNow(_channel), Bound)).Code);
        Assert.Equal(250, (int)await _backend.BalanceOfAsync(_payee.Address));
        Assert.Equal(750, (int)await _backend.BalanceOfAsync(_payer.Address));
    }

    /// <summary>
    /// A sender reference is the sender's claim (a remote message without one arrives from this node's dead letters): an
    /// unsigned settle is refused even from this process; only the local-only <see cref="SettleNow"/> settles unsigned.
    /// </summary>
    [Fact]
    public async Task An_unsigned_settle_is_refused_whoever_seems_to_send_it()
    {
        await _backend.MintAsync(_payer.Address, 1_000);
        await _backend.OpenChannelAsync(_payer.Address, new ChannelTerms(_channel, _payer.Address, _payee.Address, 1_000), TimeSpan.FromDays(1));
        var channel = Sys.ActorOf(PaymentChannelEntity.Props(_channel, _payee.Address, _backend, new Secp256k1Verifier(), TimeProvider.System));
        await channel.Ask<ChannelTracked>(new TrackChannel(_channel), Bound);
        await channel.Ask<VoucherPaid>(new PayWithVoucher(_channel, _signing.Sign(_payer, new Voucher(_channel, 100, 1))), Bound);

        var unsigned = await channel.Ask<object>(new SettleChannel(_channel), Bound);

        Assert.Equal(PaymentChannelEntity.NotAuthorised, Assert.IsType<ChannelRefused>(unsigned).Code);
        Assert.Equal(0, (int)await _backend.BalanceOfAsync(_payee.Address));
        Assert.Equal(100, (int)(await channel.Ask<ChannelSettledAck>(SettleChannel.Sign(_channel, _payee, DateTimeOffset.UtcNow), Bound)).Paid);
    }

    [Fact]
    public async Task A_channel_that_pays_someone_else_is_not_tracked_and_its_vouchers_are_refused()
    {
        await _backend.MintAsync(_payer.Address, 1_000);
        await _backend.OpenChannelAsync(_payer.Address, new ChannelTerms(_channel, _payer.Address, NodeKey.Generate().Address, 1_000), TimeSpan.FromDays(1));
        var channel = Sys.ActorOf(PaymentChannelEntity.Props(_channel, _payee.Address, _backend, new Secp256k1Verifier(), TimeProvider.System));

        Assert.Equal("NOT_PAYEE", (await channel.Ask<ChannelRefused>(new TrackChannel(_channel), Bound)).Code);
        Assert.Equal("NOT_TRACKED", (await channel.Ask<ChannelRefused>(new PayWithVoucher(_channel, _signing.Sign(_payer, new Voucher(_channel, 1, 1))), Bound)).Code);
    }

    [Fact]
    public async Task A_signed_settle_is_obeyed_from_the_payer_or_payee_only_and_only_if_recent_and_for_this_channel()
    {
        var channel = await OpenAndTrackAsync(TimeSpan.FromDays(1));
        await channel.Ask<VoucherPaid>(new PayWithVoucher(_channel, _signing.Sign(_payer, new Voucher(_channel, 300, 1))), Bound);
        var now = DateTimeOffset.UtcNow;
        var other = "0x" + new string('6', 64);

        async Task<string> RefusalOf(SettleChannel settle) => (await channel.Ask<ChannelRefused>(settle, Bound)).Reason;
        var stranger = await RefusalOf(SettleChannel.Sign(_channel, NodeKey.Generate(), now));
        var stale = await RefusalOf(SettleChannel.Sign(_channel, _payer, now - TimeSpan.FromMinutes(6)));
        var elsewhere = await RefusalOf(SettleChannel.Sign(other, _payer, now) with { ChannelId = _channel });
        var outsider = NodeKey.Generate();
        var forged = await RefusalOf(new SettleChannel(_channel, SettleChannel.Sign(_channel, outsider, now).Request!
            .Replace(outsider.Address, _payer.Address))); // claims to be the payer
        var tampered = await RefusalOf(new SettleChannel(_channel, SettleChannel.Sign(_channel, _payer, now).Request!.Replace(_channel, other)));
        var notJson = await RefusalOf(new SettleChannel(_channel, "[1"));
        var settled = await channel.Ask<ChannelSettledAck>(SettleChannel.Sign(_channel, _payer, now), Bound);

        Assert.Contains("neither the payer nor the payee", stranger);
        Assert.Contains("minutes from the payee's clock", stale);
        Assert.Contains($"not for SETTLE_CHANNEL of {_channel}", elsewhere);
        Assert.Contains("signature does not match", forged);
        Assert.Contains("signature does not match", tampered);
        Assert.Contains("not a JSON object", notJson);
        Assert.Equal(300, (int)settled.Paid); // nothing before it settled
    }

    [Fact]
    public async Task The_payee_may_sign_a_settle_too()
    {
        var channel = await OpenAndTrackAsync(TimeSpan.FromDays(1));
        await channel.Ask<VoucherPaid>(new PayWithVoucher(_channel, _signing.Sign(_payer, new Voucher(_channel, 40, 1))), Bound);

        Assert.Equal(40, (int)(await channel.Ask<ChannelSettledAck>(SettleChannel.Sign(_channel, _payee, DateTimeOffset.UtcNow), Bound)).Paid);
    }

    [Fact]
    public void Every_ledger_message_type_round_trips_through_the_allow_list_serializer()
    {
        using var system = ActorSystem.Create("allow-list", Naeural.Actors.Serialization.SerializationConfig.For(Naeural.Ledger.LedgerMessages.Types));
        var voucher = _signing.Sign(_payer, new Voucher(_channel, 12, 1));
        foreach (var message in new object[] { new PayWithVoucher(_channel, voucher), new VoucherAccepted(voucher), new ChannelSettledOnBackend(12),
                     SettleChannel.Sign(_channel, _payer, DateTimeOffset.UtcNow) })
        {
            var serializer = system.Serialization.FindSerializerFor(message);
            var manifest = Akka.Serialization.Serialization.ManifestFor(serializer, message);
            Assert.Equal(message, system.Serialization.Deserialize(serializer.ToBinary(message), serializer.Identifier, manifest));
        }
    }

    [Fact]
    public async Task Vouchers_are_refused_when_too_little_time_is_left_to_settle_before_expiry()
    {
        var channel = await OpenAndTrackAsync(TimeSpan.FromMinutes(5));

        var refused = await channel.Ask<ChannelRefused>(new PayWithVoucher(_channel, _signing.Sign(_payer, new Voucher(_channel, 10, 1))), Bound);

        Assert.Equal("EXPIRING", refused.Code);
    }

    [Fact]
    public async Task The_best_voucher_survives_a_restart()
    {
        var channel = await OpenAndTrackAsync(TimeSpan.FromDays(1));
        await channel.Ask<VoucherPaid>(new PayWithVoucher(_channel, _signing.Sign(_payer, new Voucher(_channel, 400, 3))), Bound);
        await channel.GracefulStop(Bound);

        var restarted = Sys.ActorOf(PaymentChannelEntity.Props(_channel, _payee.Address, _backend, new Secp256k1Verifier(), TimeProvider.System));
        var state = await restarted.Ask<ChannelState>(new GetChannelState(_channel), Bound);

        Assert.Equal((400, 3), ((int)state.Collected, (int)state.LastNonce));
        Assert.Equal(400, (int)(await restarted.Ask<ChannelSettledAck>(new SettleNow(_channel), Bound)).Paid);
    }

    /// <summary>The payer opens a 1,000-token channel to this payee for <paramref name="duration"/>; the payee's entity tracks it.</summary>
    private async Task<IActorRef> OpenAndTrackAsync(TimeSpan duration)
    {
        await _backend.MintAsync(_payer.Address, 1_000);
        await _backend.OpenChannelAsync(_payer.Address, new ChannelTerms(_channel, _payer.Address, _payee.Address, 1_000), duration);
        var channel = Sys.ActorOf(PaymentChannelEntity.Props(_channel, _payee.Address, _backend, new Secp256k1Verifier(), TimeProvider.System));
        await channel.Ask<ChannelTracked>(new TrackChannel(_channel), Bound);
        return channel;
    }
}
