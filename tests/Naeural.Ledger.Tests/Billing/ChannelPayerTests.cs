using System.Collections.Immutable;
using System.Numerics;
using Akka.Actor;
using Akka.TestKit;
using Naeural.Actors.Commands;
using Naeural.Actors.Metering;
using Naeural.Actors.Security;
using Naeural.Ledger.Billing;
using Naeural.Ledger.Channels;
using Naeural.Ledger.Identity;
using Naeural.Ledger.Signing;
using Xunit;

namespace Naeural.Ledger.Tests.Billing;

public sealed class ChannelPayerTests : Akka.TestKit.Xunit2.TestKit
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);
    private readonly NodeKey _payer = NodeKey.Generate();
    private readonly NodeKey _node = NodeKey.Generate();
    private readonly VoucherSigning _signing = new(VoucherDomain.Embedded);
    private readonly string _channel = "0x" + new string('9', 64);
    private readonly TestProbe _frontDoor;
    private readonly TestProbe _billing;
    private readonly IActorRef _payerActor;

    public ChannelPayerTests()
        : base("akka.loglevel = ERROR")
    {
        _frontDoor = CreateTestProbe();
        _billing = CreateTestProbe();
        _payerActor = Sys.ActorOf(ChannelPayer.Props(new PayerTerms(new ChannelTerms(_channel, _payer.Address, _node.Address, 1_000), 2),
            _payer, _frontDoor.Ref, _billing.Ref, _signing, new Secp256k1Verifier(), TimeSpan.FromHours(1)));
        // The payer reads its receipts with a read it signs itself: nobody else may.
        var read = CommandEnvelope.Open(_frontDoor.ExpectMsg<SignedCommand>(Bound), new Secp256k1Verifier(), NetworkIds.Default,
            DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5), 64 * 1024);
        Assert.Equal((ReadActions.Receipts, _payer.Address.ToLowerInvariant()), (read.Action, read.Owner));
        Assert.Equal(_payer.Address, read.Signer, StringComparer.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_forged_receipt_is_ignored_and_only_what_genuine_receipts_justify_is_paid()
    {
        var genuine = Receipt(1, units: 10, billedBefore: 0).Sign(_node, NetworkIds.Default);
        var forged = Receipt(1, units: 400, billedBefore: 0).Sign(NodeKey.Generate(), NetworkIds.Default);

        Deliver(forged);
        var afterForgery = await StateAsync();
        Assert.Equal((1, 0L, 0), (afterForgery.ReceiptsRefused, afterForgery.LastSequence, (int)afterForgery.VerifiedBilled));
        Assert.Contains("not by the node", afterForgery.LastReceiptProblem);
        _billing.ExpectNoMsg(TimeSpan.FromMilliseconds(200));

        Deliver(genuine);
        var pay = _billing.ExpectMsg<PayWithVoucher>(Bound);
        Assert.Equal((_channel, 20, 1), (pay.Voucher.Voucher.ChannelId, (int)pay.Voucher.Voucher.CumulativeAmount, (int)pay.Voucher.Voucher.Nonce));
        Assert.Equal(_payer.Address, _signing.RecoverSigner(pay.Voucher));
        _billing.Reply(new VoucherPaid(_channel, 20, 20));

        Assert.Equal(20, (int)(await StateAsync()).Paid);
    }

    [Fact]
    public async Task Receipts_at_another_price_out_of_sequence_or_with_a_wrong_total_are_ignored()
    {
        Deliver(Receipt(1, units: 5, billedBefore: 0).Sign(_node, NetworkIds.Default));
        _billing.ExpectMsg<PayWithVoucher>(Bound);
        _billing.Reply(new VoucherPaid(_channel, 10, 10));

        Deliver(WorkReceipt.For(_node.Address, _payer.Address, 2, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow,
            [new WorkLine("p", "S/i", WorkKinds.PluginFrame, 5)], pricePerUnit: 3, billedBefore: 10).Sign(_node, NetworkIds.Default));
        Assert.Contains("not the agreed 2", (await StateAsync()).LastReceiptProblem);
        Deliver(Receipt(3, units: 5, billedBefore: 10).Sign(_node, NetworkIds.Default));
        Assert.Contains("does not follow 1", (await StateAsync()).LastReceiptProblem);
        Deliver(Receipt(2, units: 5, billedBefore: 0).Sign(_node, NetworkIds.Default));
        Assert.Contains("is not 10 + 10", (await StateAsync()).LastReceiptProblem);

        var state = await StateAsync();
        Assert.Equal((3, 1L, 10), (state.ReceiptsRefused, state.LastSequence, (int)state.VerifiedBilled));
        _billing.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public async Task Payment_stops_at_the_deposit_and_says_so()
    {
        Deliver(Receipt(1, units: 700, billedBefore: 0).Sign(_node, NetworkIds.Default));

        Assert.Equal(1_000, (int)_billing.ExpectMsg<PayWithVoucher>(Bound).Voucher.Voucher.CumulativeAmount);
        _billing.Reply(new VoucherPaid(_channel, 1_000, 1_000));
        Assert.True((await StateAsync()).DepositExhausted);
    }

    private WorkReceipt Receipt(long sequence, long units, BigInteger billedBefore) =>
        WorkReceipt.For(_node.Address, _payer.Address, sequence, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow,
            [new WorkLine($"{_payer.Address.ToLowerInvariant()}/p", "COUNTER/main", WorkKinds.PluginFrame, units)], 2, billedBefore);

    private void Deliver(SignedWorkReceipt receipt) =>
        _payerActor.Tell(new WorkReceipts(_payer.Address, [receipt], receipt.Sequence), _frontDoor.Ref);

    private Task<PayerState> StateAsync() => _payerActor.Ask<PayerState>(GetPayerState.Instance, Bound);
}
