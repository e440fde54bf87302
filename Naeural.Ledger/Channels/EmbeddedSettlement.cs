using System.Numerics;
using Akka.Actor;
using Naeural.Ledger.Epochs;

namespace Naeural.Ledger.Channels;

/// <summary>
/// The embedded backend: <see cref="ISettlementBackend"/> over an <see cref="EmbeddedLedgerActor"/> (in-process), or over the
/// <see cref="LedgerGate"/> with every change wrapped by <see cref="Envelope"/> (<see cref="SignedEmbeddedSettlement"/>).
/// </summary>
public class EmbeddedSettlement(ICanTell ledger, VoucherDomain? domain = null) : ISettlementBackend
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    public VoucherDomain Domain { get; } = domain ?? VoucherDomain.Embedded;

    public Task MintAsync(string to, BigInteger amount, CancellationToken cancellationToken = default) =>
        Run(new MintTokens(to, amount), cancellationToken);

    public async Task<BigInteger> BalanceOfAsync(string address, CancellationToken cancellationToken = default) =>
        (await ledger.Ask<LedgerBalance>(new GetLedgerBalance(address), Timeout, cancellationToken)).Balance;

    public Task OpenChannelAsync(string payer, ChannelTerms terms, TimeSpan duration, CancellationToken cancellationToken = default) =>
        Run(new OpenChannel(payer, terms, duration), cancellationToken);

    public async Task<ChannelRecord?> GetChannelAsync(string channelId, CancellationToken cancellationToken = default) =>
        (await ledger.Ask<LedgerChannel>(new GetLedgerChannel(channelId), Timeout, cancellationToken)).Channel;

    public Task SettleAsync(string payee, SignedVoucher best, CancellationToken cancellationToken = default) =>
        Run(new SettleWithVoucher(payee, best), cancellationToken);

    public Task RequestCloseAsync(string payer, string channelId, TimeSpan disputeWindow, CancellationToken cancellationToken = default) =>
        Run(new RequestChannelClose(payer, channelId, disputeWindow), cancellationToken);

    public Task ReclaimAsync(string payer, string channelId, CancellationToken cancellationToken = default) =>
        Run(new ReclaimDeposit(payer, channelId), cancellationToken);

    public Task SetObserversAsync(IReadOnlyList<string> observers, int threshold, CancellationToken cancellationToken = default) =>
        Run(new SetRewardObservers([.. observers], threshold), cancellationToken);

    public async Task<ObserverRegistry> GetObserversAsync(CancellationToken cancellationToken = default) =>
        (await ledger.Ask<LedgerObservers>(GetLedgerObservers.Instance, Timeout, cancellationToken)).Registry;

    public Task FundEpochAsync(long epoch, BigInteger amount, CancellationToken cancellationToken = default) =>
        Run(new FundEpochRewards(epoch, amount), cancellationToken);

    public Task ClaimRewardAsync(string claimant, EpochResult result, IReadOnlyList<string> signatures, CancellationToken cancellationToken = default) =>
        Run(new ClaimEpochReward(claimant, result, [.. signatures]), cancellationToken);

    public async Task<EpochRewardRecord> GetEpochRewardAsync(long epoch, string node, CancellationToken cancellationToken = default) =>
        (await ledger.Ask<LedgerEpochReward>(new GetLedgerEpochReward(epoch, node), Timeout, cancellationToken)).Reward;

    public Task GrantLicenceAsync(string node, CancellationToken cancellationToken = default) => Run(new GrantNodeLicence(node), cancellationToken);

    public Task RevokeLicenceAsync(string node, CancellationToken cancellationToken = default) => Run(new RevokeNodeLicence(node), cancellationToken);

    public async Task<IReadOnlyList<string>> GetLicencesAsync(CancellationToken cancellationToken = default) =>
        (await ledger.Ask<LedgerLicences>(GetLedgerLicences.Instance, Timeout, cancellationToken)).Nodes;

    /// <summary>What is sent for a change: the request itself here; signed by its party over the network.</summary>
    protected virtual object Envelope(ILedgerRequest request) => request;

    private async Task Run(ILedgerRequest operation, CancellationToken cancellationToken)
    {
        if (await ledger.Ask<object>(Envelope(operation), Timeout, cancellationToken) is LedgerRefused refused)
        {
            throw new SettlementException(refused.Reason);
        }
    }
}
