using System.Numerics;
using Naeural.Actors.Serialization;
using Naeural.Actors.Security;

namespace Naeural.Ledger.Channels;

/// <summary>What a channel is: who pays whom, how much is escrowed.</summary>
[WireName("ledger.channels.channel-terms")]
public sealed record ChannelTerms(string ChannelId, string Payer, string Payee, BigInteger Deposit);

/// <summary>The best voucher the payee holds so far (what it can settle for), or none.</summary>
public sealed record ChannelBalance(BigInteger Collected, BigInteger LastNonce, SignedVoucher? Best)
{
    public static ChannelBalance Empty { get; } = new(0, 0, null);
}

/// <summary>The payee's decision on one voucher: accepted (with what it adds) or refused with a code and reason.</summary>
public sealed record VoucherDecision(bool Accepted, ChannelBalance Balance, BigInteger Increment, string? Code, string? Reason)
{
    public static VoucherDecision Accept(ChannelBalance balance, BigInteger increment) => new(true, balance, increment, null, null);

    public static VoucherDecision Refuse(ChannelBalance unchanged, string code, string reason) => new(false, unchanged, 0, code, reason);
}

/// <summary>
/// The payee's checks on a voucher, in order: the right channel (canonical id), a canonical signature by the payer, a cumulative amount above the best so
/// far (so a replay, or a lower one, pays nothing), a nonce above the last, and not above the deposit. Pure: the channel
/// entity persists what it accepts.
/// </summary>
public static class VoucherRules
{
    public const string WrongChannel = "WRONG_CHANNEL";
    public const string BadSignature = "BAD_SIGNATURE";
    public const string NotIncreasing = "NOT_INCREASING";
    public const string StaleNonce = "STALE_NONCE";
    public const string OverDeposit = "OVER_DEPOSIT";

    public static VoucherDecision Check(ChannelTerms terms, ChannelBalance balance, SignedVoucher signed, VoucherSigning signing)
    {
        var voucher = signed.Voucher;
        if (!ChannelIds.IsCanonicalId(voucher.ChannelId) || voucher.ChannelId != terms.ChannelId)
        {
            return VoucherDecision.Refuse(balance, WrongChannel, $"voucher is for channel {voucher.ChannelId}, not {terms.ChannelId}");
        }

        if (!ChannelIds.IsCanonicalSignature(signed.Signature))
        {
            return VoucherDecision.Refuse(balance, BadSignature, "signature must be 0x + 65 bytes in lower-case hex, v = 27 or 28");
        }

        var signer = signing.RecoverSigner(signed);
        if (!AccountAddress.Same(signer, terms.Payer))
        {
            return VoucherDecision.Refuse(balance, BadSignature, signer is null ? "signature does not recover" : $"signed by {signer}, not the payer {terms.Payer}");
        }

        if (voucher.CumulativeAmount <= balance.Collected)
        {
            return VoucherDecision.Refuse(balance, NotIncreasing,
                $"cumulative amount {voucher.CumulativeAmount} is not above {balance.Collected} already collected (replayed or lower)");
        }

        if (voucher.Nonce <= balance.LastNonce)
        {
            return VoucherDecision.Refuse(balance, StaleNonce, $"nonce {voucher.Nonce} is not above {balance.LastNonce}");
        }

        if (voucher.CumulativeAmount > terms.Deposit)
        {
            return VoucherDecision.Refuse(balance, OverDeposit, $"cumulative amount {voucher.CumulativeAmount} is above the deposit {terms.Deposit}");
        }

        return VoucherDecision.Accept(new ChannelBalance(voucher.CumulativeAmount, voucher.Nonce, signed), voucher.CumulativeAmount - balance.Collected);
    }
}
