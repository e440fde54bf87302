using System.Numerics;
using Akka.Actor;
using Naeural.Actors.Security;
using Naeural.Ledger.Epochs;

namespace Naeural.Ledger.Channels;

/// <summary>
/// The embedded ledger as one party uses it from anywhere in the network: every change is signed with the party's key and
/// sent to the <see cref="LedgerGate"/> (through a node's ledger proxy); queries are sent as they are. Acting for anyone but
/// <paramref name="party"/> fails before anything is sent.
/// </summary>
public sealed class SignedEmbeddedSettlement(ICanTell gate, IMessageSigner party, VoucherDomain? domain = null, TimeProvider? time = null)
    : ISettlementBackend
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    public VoucherDomain Domain { get; } = domain ?? VoucherDomain.Embedded;

    /// <summary>Whose key signs the requests.</summary>
    public string Party => party.Address;

    public Task MintAsync(string to, BigInteger amount, CancellationToken cancellationToken = default) =>
        Run(new MintTokens(to, amount), cancellationToken);

    public async Task<BigInteger> BalanceOfAsync(string address, CancellationToken cancellationToken = default) =>
        (await gate.Ask<LedgerBalance>(new GetLedgerBalance(address), Timeout, cancellationToken)).Balance;

    public Task OpenChannelAsync(string payer, ChannelTerms terms, TimeSpan duration, CancellationToken cancellationToken = default) =>
        Run(new OpenChannel(payer, terms, duration), cancellationToken);

    public async Task<ChannelRecord?> GetChannelAsync(string channelId, CancellationToken cancellationToken = default) =>
        (await gate.Ask<LedgerChannel>(new GetLedgerChannel(channelId), Timeout, cancellationToken)).Channel;

    public Task SettleAsync(string payee, SignedVoucher best, CancellationToken cancellationToken = default) =>
        Run(new SettleWithVoucher(payee, best), cancellationToken);

    public Task RequestCloseAsync(string payer, string channelId, TimeSpan disputeWindow, CancellationToken cancellationToken = default) =>
        Run(new RequestChannelClose(payer, channelId, disputeWindow), cancellationToken);

    public Task ReclaimAsync(string payer, string channelId, CancellationToken cancellationToken = default) =>
        Run(new ReclaimDeposit(payer, channelId), cancellationToken);

    public Task SetObserversAsync(IReadOnlyList<string> observers, int threshold, CancellationToken cancellationToken = default) =>
        Run(new SetRewardObservers([.. observers], threshold), cancellationToken);

    public async Task<ObserverRegistry> GetObserversAsync(CancellationToken cancellationToken = default) =>
        (await gate.Ask<LedgerObservers>(GetLedgerObservers.Instance, Timeout, cancellationToken)).Registry;

    public Task FundEpochAsync(long epoch, BigInteger amount, CancellationToken cancellationToken = default) =>
        Run(new FundEpochRewards(epoch, amount), cancellationToken);

    public Task ClaimRewardAsync(string claimant, EpochResult result, IReadOnlyList<string> signatures, CancellationToken cancellationToken = default) =>
        Run(new ClaimEpochReward(claimant, result, [.. signatures]), cancellationToken);

    public async Task<EpochRewardRecord> GetEpochRewardAsync(long epoch, string node, CancellationToken cancellationToken = default) =>
        (await gate.Ask<LedgerEpochReward>(new GetLedgerEpochReward(epoch, node), Timeout, cancellationToken)).Reward;

    private async Task Run(ILedgerRequest request, CancellationToken cancellationToken)
    {
        SignedLedgerRequest signed;
        try
        {
            signed = LedgerRequests.Sign(request, party, _time.GetUtcNow());
        }
        catch (ArgumentException e)
        {
            throw new SettlementException(e.Message);
        }

        if (await gate.Ask<object>(signed, Timeout, cancellationToken) is LedgerRefused refused)
        {
            throw new SettlementException(refused.Reason);
        }
    }
}
