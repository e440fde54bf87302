using System.Collections.Immutable;
using System.Numerics;
using Akka.Actor;
using Akka.Persistence;
using Naeural.Ledger.Epochs;
using Naeural.Actors.Serialization;

namespace Naeural.Ledger.Channels;

/// <summary>
/// The embedded settlement ledger as a persistent actor: each request is stamped with the ledger's own clock (never a time the
/// sender chose), checked against the current <see cref="EmbeddedLedger"/>, persisted as an event only if it succeeds, and
/// applied from that event (so recovery replays exactly what was accepted). Answers <see cref="LedgerDone"/> or
/// <see cref="LedgerRefused"/>.
/// </summary>
public sealed class EmbeddedLedgerActor : ReceivePersistentActor
{
    public const string Name = "embedded-ledger";

    private readonly VoucherSigning _signing;
    private readonly EpochResultSigning _results;
    private readonly TimeProvider _time;
    private EmbeddedLedger _ledger = EmbeddedLedger.Empty;
    private IActorRef _persisting = ActorRefs.Nobody;

    public EmbeddedLedgerActor(string persistenceId, VoucherSigning signing, TimeProvider time, string? journalPluginId = null)
    {
        PersistenceId = persistenceId;
        if (journalPluginId is not null)
        {
            JournalPluginId = journalPluginId;
        }

        _signing = signing;
        _results = new EpochResultSigning(signing.Domain);
        _time = time;
        Recover<ILedgerEvent>(e => _ledger = Apply(_ledger, e));
        Command<ILedgerRequest>(request =>
        {
            var e = Stamp(request);
            try
            {
                Apply(_ledger, e); // check first: nothing is persisted that the rules refuse
            }
            catch (SettlementException refused)
            {
                Sender.Tell(new LedgerRefused(refused.Message));
                return;
            }

            var replyTo = _persisting = Sender;
            Persist(e, accepted =>
            {
                _persisting = ActorRefs.Nobody;
                _ledger = Apply(_ledger, accepted);
                replyTo.Tell(LedgerDone.Instance);
            });
        });
        Command<GetLedgerBalance>(q => Sender.Tell(new LedgerBalance(q.Address, _ledger.BalanceOf(q.Address))));
        Command<GetLedgerChannel>(q => Sender.Tell(new LedgerChannel(_ledger.Channels.GetValueOrDefault(q.ChannelId))));
        Command<GetLedgerObservers>(_ => Sender.Tell(new LedgerObservers(_ledger.Rewards.Registry)));
        Command<GetLedgerEpochReward>(q => Sender.Tell(new LedgerEpochReward(_ledger.Rewards.RewardOf(q.Epoch, q.Node))));
        Command<GetLedgerLicences>(_ => Sender.Tell(new LedgerLicences([.. _ledger.Licences])));
    }

    public override string PersistenceId { get; }

    public static Props Props(string persistenceId, VoucherSigning signing, TimeProvider time, string? journalPluginId = null) =>
        Akka.Actor.Props.Create(() => new EmbeddedLedgerActor(persistenceId, signing, time, journalPluginId));

    /// <summary>The journal did not take the change: the requester is told so clearly; then the actor stops (its gate restarts it).</summary>
    protected override void OnPersistFailure(Exception cause, object @event, long sequenceNr)
    {
        _persisting.Tell(new LedgerRefused(LedgerRequests.PersistFailure(cause)));
        _persisting = ActorRefs.Nobody;
        base.OnPersistFailure(cause, @event, sequenceNr);
    }

    private ILedgerEvent Stamp(ILedgerRequest request)
    {
        var now = _time.GetUtcNow();
        return request switch
        {
            MintTokens m => new Minted(m.To, m.Amount),
            OpenChannel o => new ChannelOpened(o.Payer, o.Terms, now + o.Duration),
            SettleWithVoucher s => new ChannelSettled(s.Payee, s.Best, now),
            RequestChannelClose r => new CloseRequested(r.Payer, r.ChannelId, now, r.DisputeWindow),
            ReclaimDeposit r => new ChannelReclaimed(r.Payer, r.ChannelId, now),
            SetRewardObservers o => new RewardObserversSet(o.Observers.IsDefault ? [] : o.Observers, o.Threshold),
            FundEpochRewards f => new EpochRewardsFunded(f.Epoch, f.Amount),
            ClaimEpochReward c => new EpochRewardClaimed(c.Claimant, c.Result, c.Signatures.IsDefault ? [] : c.Signatures),
            GrantNodeLicence g => new NodeLicenceGranted(g.Node),
            RevokeNodeLicence r => new NodeLicenceRevoked(r.Node),
            _ => throw new ArgumentException($"unknown ledger request {request.GetType().Name}"),
        };
    }

    private EmbeddedLedger Apply(EmbeddedLedger ledger, ILedgerEvent e) => e switch
    {
        Minted m => ledger.Mint(m.To, m.Amount),
        ChannelOpened o => ledger.Open(o.Payer, o.Terms, o.ExpiresAt),
        ChannelSettled s => ledger.Settle(s.Payee, s.Best, _signing, s.At),
        CloseRequested r => ledger.RequestClose(r.Payer, r.ChannelId, r.At, r.DisputeWindow),
        ChannelReclaimed r => ledger.Reclaim(r.Payer, r.ChannelId, r.At),
        RewardObserversSet o => ledger.SetObservers(o.Observers, o.Threshold),
        EpochRewardsFunded f => ledger.FundEpoch(f.Epoch, f.Amount),
        EpochRewardClaimed c => ledger.ClaimReward(c.Claimant, c.Result, c.Signatures, _results),
        NodeLicenceGranted g => ledger.GrantLicence(g.Node),
        NodeLicenceRevoked r => ledger.RevokeLicence(r.Node),
        _ => throw new SettlementException($"unknown ledger event {e.GetType().Name}"),
    };
}

/// <summary>A request to the embedded ledger (it stamps the time itself).</summary>
public interface ILedgerRequest;

[WireName("ledger.channels.mint-tokens")]
public sealed record MintTokens(string To, BigInteger Amount) : ILedgerRequest;

[WireName("ledger.channels.open-channel")]
public sealed record OpenChannel(string Payer, ChannelTerms Terms, TimeSpan Duration) : ILedgerRequest;

[WireName("ledger.channels.settle-with-voucher")]
public sealed record SettleWithVoucher(string Payee, SignedVoucher Best) : ILedgerRequest;

[WireName("ledger.channels.request-channel-close")]
public sealed record RequestChannelClose(string Payer, string ChannelId, TimeSpan DisputeWindow) : ILedgerRequest;

[WireName("ledger.channels.reclaim-deposit")]
public sealed record ReclaimDeposit(string Payer, string ChannelId) : ILedgerRequest;

/// <summary>Replaces the observers whose signatures count on epoch results, and the threshold a claim needs.</summary>
[WireName("ledger.channels.set-reward-observers")]
public sealed record SetRewardObservers(ImmutableArray<string> Observers, int Threshold) : ILedgerRequest;

/// <summary>Mints an epoch's reward pool (once per epoch).</summary>
[WireName("ledger.channels.fund-epoch-rewards")]
public sealed record FundEpochRewards(long Epoch, BigInteger Amount) : ILedgerRequest;

/// <summary>A node claims its share of an epoch's pool with the observers' signatures over the epoch's result.</summary>
[WireName("ledger.channels.claim-epoch-reward")]
public sealed record ClaimEpochReward(string Claimant, EpochResult Result, ImmutableArray<string> Signatures) : ILedgerRequest;

/// <summary>A licence authority admits a node to the network (nodes run with <c>--admit-licensed</c> accept it as a member).</summary>
[WireName("ledger.channels.grant-node-licence")]
public sealed record GrantNodeLicence(string Node) : ILedgerRequest;

/// <summary>A licence authority withdraws a node's licence (the nodes refuse its new connections after their next read).</summary>
[WireName("ledger.channels.revoke-node-licence")]
public sealed record RevokeNodeLicence(string Node) : ILedgerRequest;

/// <summary>An accepted operation on the embedded ledger, persisted with the time the ledger stamped.</summary>
public interface ILedgerEvent;

[WireName("ledger.channels.minted")]
public sealed record Minted(string To, BigInteger Amount) : ILedgerEvent;

[WireName("ledger.channels.channel-opened")]
public sealed record ChannelOpened(string Payer, ChannelTerms Terms, DateTimeOffset ExpiresAt) : ILedgerEvent;

[WireName("ledger.channels.channel-settled")]
public sealed record ChannelSettled(string Payee, SignedVoucher Best, DateTimeOffset At) : ILedgerEvent;

[WireName("ledger.channels.close-requested")]
public sealed record CloseRequested(string Payer, string ChannelId, DateTimeOffset At, TimeSpan DisputeWindow) : ILedgerEvent;

[WireName("ledger.channels.channel-reclaimed")]
public sealed record ChannelReclaimed(string Payer, string ChannelId, DateTimeOffset At) : ILedgerEvent;

[WireName("ledger.channels.reward-observers-set")]
public sealed record RewardObserversSet(ImmutableArray<string> Observers, int Threshold) : ILedgerEvent;

[WireName("ledger.channels.epoch-rewards-funded")]
public sealed record EpochRewardsFunded(long Epoch, BigInteger Amount) : ILedgerEvent;

/// <summary>An accepted reward claim, with what it was checked on (replayed through the same rules on recovery).</summary>
[WireName("ledger.channels.epoch-reward-claimed")]
public sealed record EpochRewardClaimed(string Claimant, EpochResult Result, ImmutableArray<string> Signatures) : ILedgerEvent;

/// <summary>Event: a node was granted a licence.</summary>
[WireName("ledger.channels.node-licence-granted")]
public sealed record NodeLicenceGranted(string Node) : ILedgerEvent;

/// <summary>Event: a node's licence was revoked.</summary>
[WireName("ledger.channels.node-licence-revoked")]
public sealed record NodeLicenceRevoked(string Node) : ILedgerEvent;

[WireName("ledger.channels.ledger-done")]
public sealed record LedgerDone
{
    public static LedgerDone Instance { get; } = new();
}

[WireName("ledger.channels.ledger-refused")]
public sealed record LedgerRefused(string Reason);

[WireName("ledger.channels.get-ledger-balance")]
public sealed record GetLedgerBalance(string Address);

[WireName("ledger.channels.ledger-balance")]
public sealed record LedgerBalance(string Address, BigInteger Balance);

[WireName("ledger.channels.get-ledger-channel")]
public sealed record GetLedgerChannel(string ChannelId);

[WireName("ledger.channels.ledger-channel")]
public sealed record LedgerChannel(ChannelRecord? Channel);

[WireName("ledger.channels.get-ledger-observers")]
public sealed record GetLedgerObservers
{
    public static GetLedgerObservers Instance { get; } = new();
}

[WireName("ledger.channels.ledger-observers")]
public sealed record LedgerObservers(ObserverRegistry Registry);

[WireName("ledger.channels.get-ledger-epoch-reward")]
public sealed record GetLedgerEpochReward(long Epoch, string Node);

[WireName("ledger.channels.ledger-epoch-reward")]
public sealed record LedgerEpochReward(EpochRewardRecord Reward);

/// <summary>Asks for the licensed node addresses.</summary>
[WireName("ledger.channels.get-ledger-licences")]
public sealed record GetLedgerLicences
{
    public static GetLedgerLicences Instance { get; } = new();
}

/// <summary>The licensed node addresses, in order.</summary>
[WireName("ledger.channels.ledger-licences")]
public sealed record LedgerLicences(ImmutableArray<string> Nodes);
