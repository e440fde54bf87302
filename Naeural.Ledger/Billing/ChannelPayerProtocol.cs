using System.Numerics;
using Naeural.Ledger.Channels;

namespace Naeural.Ledger.Billing;

/// <summary>What the payer agreed to: the channel's terms and the price per unit the payee advertised when it was opened.</summary>
public sealed record PayerTerms(ChannelTerms Channel, BigInteger PricePerUnit);

/// <summary>
/// Where a payer that pays again (another process, a restarted client) starts: the payee's last accepted voucher nonce and what
/// it has collected, as the payee reports them (<see cref="Channels.ChannelState"/>).
/// </summary>
public sealed record PayerResume(BigInteger LastNonce, BigInteger Collected)
{
    public static PayerResume Fresh { get; } = new(0, 0);
}

/// <summary>Asks a <see cref="ChannelPayer"/> how far it got.</summary>
public sealed record GetPayerState
{
    public static GetPayerState Instance { get; } = new();
}

/// <summary>
/// Answers <see cref="GetPayerState"/>: receipts accepted (up to <see cref="LastSequence"/>) and what they justify
/// (<see cref="VerifiedBilled"/>), what the payee has collected in vouchers (<see cref="Paid"/>), receipts refused and why
/// the last one was, the payee's last refusal of a voucher, and whether the work billed outgrew the deposit.
/// </summary>
public sealed record PayerState(
    string ChannelId,
    long LastSequence,
    BigInteger VerifiedBilled,
    BigInteger Paid,
    int ReceiptsRefused,
    string? LastReceiptProblem,
    ChannelRefused? LastVoucherRefusal,
    bool DepositExhausted);
