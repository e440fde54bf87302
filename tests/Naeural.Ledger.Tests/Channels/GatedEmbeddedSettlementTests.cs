using System.Numerics;
using Akka.Actor;
using Naeural.Ledger.Channels;
using Naeural.Ledger.Epochs;
using Naeural.Ledger.Identity;
using Naeural.Ledger.Signing;

namespace Naeural.Ledger.Tests.Channels;

/// <summary>
/// The settlement contract suite run against the embedded ledger behind its gate: every change signed by the party making it
/// (the payer, the payee, or the mint authority), as clients and nodes do over the network.
/// </summary>
public sealed class GatedEmbeddedSettlementTests : SettlementBackendContract
{
    private readonly ManualClock _clock = new(DateTimeOffset.UnixEpoch + TimeSpan.FromDays(20_000));
    private readonly NodeKey _authority = NodeKey.Generate();
    private IActorRef _gate = ActorRefs.Nobody;

    public GatedEmbeddedSettlementTests()
        : base("akka.persistence.journal.plugin = \"akka.persistence.journal.inmem\"\nakka.loglevel = WARNING")
    {
    }

    protected override Task<ISettlementBackend> CreateBackendAsync(params NodeKey[] parties)
    {
        var gate = _gate = Sys.ActorOf(LedgerGate.Props(new LedgerGateSettings { MintAuthorities = new HashSet<string> { _authority.Address } },
            new VoucherSigning(VoucherDomain.Embedded), new Secp256k1Verifier(), _clock));
        return Task.FromResult<ISettlementBackend>(new EachPartySigns(gate, [.. parties, _authority], _authority, _clock));
    }

    protected override TimeProvider Clock => _clock;

    protected override Task<ISettlementBackend?> StrangerAsync(NodeKey stranger) =>
        Task.FromResult<ISettlementBackend?>(new SignedEmbeddedSettlement(_gate, stranger, time: _clock));

    protected override Task AdvanceAsync(TimeSpan by)
    {
        _clock.Advance(by);
        return Task.CompletedTask;
    }

    /// <summary>Sends each request signed by the key of the party it names (mints by the authority).</summary>
    private sealed class EachPartySigns(IActorRef gate, NodeKey[] keys, NodeKey authority, TimeProvider clock) : ISettlementBackend
    {
        public VoucherDomain Domain => VoucherDomain.Embedded;

        public Task MintAsync(string to, BigInteger amount, CancellationToken cancellationToken = default) =>
            As(authority.Address).MintAsync(to, amount, cancellationToken);

        public Task<BigInteger> BalanceOfAsync(string address, CancellationToken cancellationToken = default) =>
            As(authority.Address).BalanceOfAsync(address, cancellationToken);

        public Task OpenChannelAsync(string payer, ChannelTerms terms, TimeSpan duration, CancellationToken cancellationToken = default) =>
            As(payer).OpenChannelAsync(payer, terms, duration, cancellationToken);

        public Task<ChannelRecord?> GetChannelAsync(string channelId, CancellationToken cancellationToken = default) =>
            As(authority.Address).GetChannelAsync(channelId, cancellationToken);

        public Task SettleAsync(string payee, SignedVoucher best, CancellationToken cancellationToken = default) =>
            As(payee).SettleAsync(payee, best, cancellationToken);

        public Task RequestCloseAsync(string payer, string channelId, TimeSpan disputeWindow, CancellationToken cancellationToken = default) =>
            As(payer).RequestCloseAsync(payer, channelId, disputeWindow, cancellationToken);

        public Task ReclaimAsync(string payer, string channelId, CancellationToken cancellationToken = default) =>
            As(payer).ReclaimAsync(payer, channelId, cancellationToken);

        public Task SetObserversAsync(IReadOnlyList<string> observers, int threshold, CancellationToken cancellationToken = default) =>
            As(authority.Address).SetObserversAsync(observers, threshold, cancellationToken);

        public Task<ObserverRegistry> GetObserversAsync(CancellationToken cancellationToken = default) =>
            As(authority.Address).GetObserversAsync(cancellationToken);

        public Task FundEpochAsync(long epoch, BigInteger amount, CancellationToken cancellationToken = default) =>
            As(authority.Address).FundEpochAsync(epoch, amount, cancellationToken);

        public Task ClaimRewardAsync(string claimant, EpochResult result, IReadOnlyList<string> signatures, CancellationToken cancellationToken = default) =>
            As(claimant).ClaimRewardAsync(claimant, result, signatures, cancellationToken);

        public Task<EpochRewardRecord> GetEpochRewardAsync(long epoch, string node, CancellationToken cancellationToken = default) =>
            As(authority.Address).GetEpochRewardAsync(epoch, node, cancellationToken);

        public Task GrantLicenceAsync(string node, CancellationToken cancellationToken = default) =>
            As(authority.Address).GrantLicenceAsync(node, cancellationToken);

        public Task RevokeLicenceAsync(string node, CancellationToken cancellationToken = default) =>
            As(authority.Address).RevokeLicenceAsync(node, cancellationToken);

        public Task<IReadOnlyList<string>> GetLicencesAsync(CancellationToken cancellationToken = default) =>
            As(authority.Address).GetLicencesAsync(cancellationToken);

        private SignedEmbeddedSettlement As(string address) =>
            new(gate, keys.Single(k => string.Equals(k.Address, address, StringComparison.OrdinalIgnoreCase)), time: clock);
    }
}
