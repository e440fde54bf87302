using System.Numerics;
using CsCheck;
using Naeural.Ledger.Channels;
using Naeural.Ledger.Identity;
using Xunit;

namespace Naeural.Ledger.Tests.Channels;

public sealed class VoucherRulesTests
{
    private const string Channel = "0x2222222222222222222222222222222222222222222222222222222222222222";
    private static readonly VoucherSigning Signing = new(VoucherDomain.Embedded);
    private static readonly NodeKey Payer = NodeKey.Generate();
    private static readonly NodeKey Stranger = NodeKey.Generate();
    private static readonly ChannelTerms Terms = new(Channel, Payer.Address, "0x000000000000000000000000000000000000dEaD", 1_000);

    [Fact]
    public void Each_kind_of_bad_voucher_is_refused_with_its_code()
    {
        var first = VoucherRules.Check(Terms, ChannelBalance.Empty, Signing.Sign(Payer, new Voucher(Channel, 100, 1)), Signing);
        Assert.True(first.Accepted);
        Assert.Equal(100, first.Increment);
        var balance = first.Balance;

        Assert.Equal(VoucherRules.WrongChannel, Code(balance, Signing.Sign(Payer, new Voucher("0x" + new string('3', 64), 200, 2))));
        Assert.Equal(VoucherRules.BadSignature, Code(balance, Signing.Sign(Stranger, new Voucher(Channel, 200, 2))));
        Assert.Equal(VoucherRules.NotIncreasing, Code(balance, Signing.Sign(Payer, new Voucher(Channel, 100, 1))));
        Assert.Equal(VoucherRules.NotIncreasing, Code(balance, Signing.Sign(Payer, new Voucher(Channel, 50, 5))));
        Assert.Equal(VoucherRules.StaleNonce, Code(balance, Signing.Sign(Payer, new Voucher(Channel, 200, 1))));
        Assert.Equal(VoucherRules.OverDeposit, Code(balance, Signing.Sign(Payer, new Voucher(Channel, 1_001, 2))));
        var good = Signing.Sign(Payer, new Voucher(Channel, 200, 2));
        Assert.Equal(VoucherRules.BadSignature, Code(balance, good with { Signature = good.Signature[2..] })); // parses off chain, not on chain
        Assert.Equal(VoucherRules.BadSignature, Code(balance, good with { Signature = good.Signature.ToUpperInvariant().Replace("0X", "0x") }));
        Assert.Equal(VoucherRules.WrongChannel, Code(balance, Signing.Sign(Payer, new Voucher("0x" + new string('A', 64), 200, 2)))); // not canonical
    }

    [Fact]
    public void Channel_ids_have_one_spelling()
    {
        Assert.Equal(Channel, ChannelIds.Canonical(Channel.ToUpperInvariant()));
        Assert.Equal(Channel, ChannelIds.Canonical(Channel[2..]));
        Assert.Throws<ArgumentException>(() => ChannelIds.Canonical("0x1234"));
    }

    /// <summary>
    /// Any sequence of vouchers, honest or not (forged by a stranger, replayed, lower, over the deposit), lets the payee
    /// collect no more than the deposit nor the highest amount the payer signed, counts every accepted amount once, and never
    /// pays twice for a replay.
    /// </summary>
    [Fact]
    public void No_sequence_of_vouchers_pays_more_than_the_deposit_or_the_payers_best_and_replays_never_pay()
    {
        var step = Gen.Select(Gen.Int[0, 4], Gen.Int[0, 1_200], Gen.Int[0, 40]);
        step.Array[1, 40].Sample(steps =>
        {
            var balance = ChannelBalance.Empty;
            BigInteger paid = 0, bestSignedByPayer = 0;
            var sent = new List<SignedVoucher>();
            foreach (var (kind, amount, nonce) in steps)
            {
                var voucher = kind switch
                {
                    0 => Signing.Sign(Payer, new Voucher(Channel, amount, nonce)),
                    1 => Signing.Sign(Stranger, new Voucher(Channel, amount, nonce)),
                    2 when sent.Count > 0 => sent[amount % sent.Count],
                    3 => Signing.Sign(Payer, new Voucher(Channel, balance.Collected - 1 < 0 ? 0 : balance.Collected - 1, nonce)),
                    _ => Signing.Sign(Payer, new Voucher(Channel, Terms.Deposit + amount + 1, nonce)),
                };
                if (Signing.RecoverSigner(voucher) == Payer.Address)
                {
                    bestSignedByPayer = BigInteger.Max(bestSignedByPayer, voucher.Voucher.CumulativeAmount);
                }

                var decision = VoucherRules.Check(Terms, balance, voucher, Signing);
                var replay = sent.Contains(voucher);
                sent.Add(voucher);
                if (!decision.Accepted)
                {
                    Assert.Equal(balance, decision.Balance);
                    continue;
                }

                Assert.False(replay, "a replayed voucher was accepted");
                Assert.True(decision.Increment > 0);
                paid += decision.Increment;
                balance = decision.Balance;
                Assert.Equal(paid, balance.Collected);
                Assert.True(balance.Collected <= Terms.Deposit, $"collected {balance.Collected} > deposit");
                Assert.True(balance.Collected <= bestSignedByPayer, $"collected {balance.Collected} > payer's best {bestSignedByPayer}");
            }
        }, iter: 200);
    }

    private static string? Code(ChannelBalance balance, SignedVoucher voucher) => VoucherRules.Check(Terms, balance, voucher, Signing).Code;
}
