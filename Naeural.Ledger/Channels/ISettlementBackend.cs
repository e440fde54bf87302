using System.Collections.Immutable;
using System.Numerics;
using Naeural.Ledger.Epochs;
using Naeural.Actors.Serialization;

namespace Naeural.Ledger.Channels;

/// <summary>A channel as the settlement layer holds it.</summary>
[WireName("ledger.channels.channel-record")]
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

/// <summary>The observers whose signatures count on epoch results, and how many distinct ones a reward claim needs.</summary>
[WireName("ledger.channels.observer-registry")]
public sealed record ObserverRegistry(ImmutableArray<string> Observers, int Threshold)
{
    public static ObserverRegistry None { get; } = new([], 0);
}

/// <summary>An epoch's reward pool, and what one node claimed of it (0: not claimed).</summary>
[WireName("ledger.channels.epoch-reward-record")]
public sealed record EpochRewardRecord(long Epoch, BigInteger Pool, string Node, BigInteger Claimed);

/// <summary>A settlement layer refused an operation; the message says why.</summary>
public sealed class SettlementException(string message) : Exception(message);

/// <summary>
/// Where token balances, channel escrows and epoch rewards live, behind one interface with one contract-test suite: the
/// embedded ledger (default, no chain) and an EVM contract. Open escrows the payer's deposit; the payee settles once with its
/// best voucher (the rest goes back to the payer); the payer may request a close, after whose dispute window it takes back what
/// the payee did not claim; after expiry the unclaimed deposit returns to the payer. Each epoch's reward pool is minted by the
/// owner; a node of the epoch's result claims its share once, with the signatures of a threshold of registered observers.
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

    /// <summary>
    /// The owner replaces the observer registry: distinct addresses, and a <paramref name="threshold"/> from 1 to their number.
    /// </summary>
    Task SetObserversAsync(IReadOnlyList<string> observers, int threshold, CancellationToken cancellationToken = default);

    Task<ObserverRegistry> GetObserversAsync(CancellationToken cancellationToken = default);

    /// <summary>The owner mints <paramref name="epoch"/>'s reward pool, once per epoch.</summary>
    Task FundEpochAsync(long epoch, BigInteger amount, CancellationToken cancellationToken = default);

    /// <summary>
    /// <paramref name="claimant"/>, a node of <paramref name="result"/>, takes pool × its availability / the sum of availabilities,
    /// once, with <paramref name="signatures"/> of at least the threshold of distinct registered observers over the result's EIP-712
    /// digest in <see cref="Domain"/> (other signatures count for nothing). Every claim of an epoch must use the result of its
    /// first claim.
    /// </summary>
    Task ClaimRewardAsync(string claimant, EpochResult result, IReadOnlyList<string> signatures, CancellationToken cancellationToken = default);

    Task<EpochRewardRecord> GetEpochRewardAsync(long epoch, string node, CancellationToken cancellationToken = default);

    /// <summary>The licence authority (the embedded ledger's authority, the contract's owner) grants <paramref name="node"/> a licence: it is admitted as a member.</summary>
    Task GrantLicenceAsync(string node, CancellationToken cancellationToken = default);

    /// <summary>The licence authority revokes <paramref name="node"/>'s licence.</summary>
    Task RevokeLicenceAsync(string node, CancellationToken cancellationToken = default);

    /// <summary>The node addresses holding a licence now.</summary>
    Task<IReadOnlyList<string>> GetLicencesAsync(CancellationToken cancellationToken = default);
}
