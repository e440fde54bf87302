using System.Numerics;

namespace Naeural.Ledger.Channels;

/// <summary>A channel as the settlement layer holds it.</summary>
public sealed record ChannelRecord(
    string ChannelId,
    string Payer,
    string Payee,
    BigInteger Deposit,
    DateTimeOffset ExpiresAt,
    DateTimeOffset? CloseRequestedUntil,
    bool Settled,
    BigInteger PaidToPayee,
    BigInteger RefundedToPayer);

/// <summary>A settlement layer refused an operation; the message says why.</summary>
public sealed class SettlementException(string message) : Exception(message);

/// <summary>
/// Where token balances and channel escrows live, behind one interface with one contract-test suite: the embedded ledger
/// (default, no chain) and, next, an EVM contract. Open escrows the payer's deposit; the payee settles once with its best
/// voucher (the rest goes back to the payer); the payer may request a close, after whose dispute window it takes back what the
/// payee did not claim; after expiry the unclaimed deposit returns to the payer.
/// </summary>
public interface ISettlementBackend
{
    VoucherDomain Domain { get; }

    Task MintAsync(string to, BigInteger amount, CancellationToken cancellationToken = default);

    Task<BigInteger> BalanceOfAsync(string address, CancellationToken cancellationToken = default);

    Task OpenChannelAsync(string payer, ChannelTerms terms, TimeSpan duration, CancellationToken cancellationToken = default);

    Task<ChannelRecord?> GetChannelAsync(string channelId, CancellationToken cancellationToken = default);

    /// <summary>The payee claims with its best voucher; the payer gets the rest of the deposit back.</summary>
    Task SettleAsync(string payee, SignedVoucher best, CancellationToken cancellationToken = default);

    /// <summary>The payer asks to close: the payee has <paramref name="disputeWindow"/> to settle.</summary>
    Task RequestCloseAsync(string payer, string channelId, TimeSpan disputeWindow, CancellationToken cancellationToken = default);

    /// <summary>After the dispute window or the expiry, with no settlement, the deposit returns to the payer.</summary>
    Task ReclaimAsync(string payer, string channelId, CancellationToken cancellationToken = default);
}
