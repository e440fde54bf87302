using System.Numerics;
using Akka.Actor;
using Akka.Persistence;

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
    private readonly TimeProvider _time;
    private EmbeddedLedger _ledger = EmbeddedLedger.Empty;

    public EmbeddedLedgerActor(string persistenceId, VoucherSigning signing, TimeProvider time)
    {
        PersistenceId = persistenceId;
        _signing = signing;
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

            var replyTo = Sender;
            Persist(e, accepted =>
            {
                _ledger = Apply(_ledger, accepted);
                replyTo.Tell(LedgerDone.Instance);
            });
        });
        Command<GetLedgerBalance>(q => Sender.Tell(new LedgerBalance(q.Address, _ledger.BalanceOf(q.Address))));
        Command<GetLedgerChannel>(q => Sender.Tell(new LedgerChannel(_ledger.Channels.GetValueOrDefault(q.ChannelId))));
    }

    public override string PersistenceId { get; }

    public static Props Props(string persistenceId, VoucherSigning signing, TimeProvider time) =>
        Akka.Actor.Props.Create(() => new EmbeddedLedgerActor(persistenceId, signing, time));

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
        _ => throw new SettlementException($"unknown ledger event {e.GetType().Name}"),
    };
}

/// <summary>A request to the embedded ledger (it stamps the time itself).</summary>
public interface ILedgerRequest;

public sealed record MintTokens(string To, BigInteger Amount) : ILedgerRequest;

public sealed record OpenChannel(string Payer, ChannelTerms Terms, TimeSpan Duration) : ILedgerRequest;

public sealed record SettleWithVoucher(string Payee, SignedVoucher Best) : ILedgerRequest;

public sealed record RequestChannelClose(string Payer, string ChannelId, TimeSpan DisputeWindow) : ILedgerRequest;

public sealed record ReclaimDeposit(string Payer, string ChannelId) : ILedgerRequest;

/// <summary>An accepted operation on the embedded ledger, persisted with the time the ledger stamped.</summary>
public interface ILedgerEvent;

public sealed record Minted(string To, BigInteger Amount) : ILedgerEvent;

public sealed record ChannelOpened(string Payer, ChannelTerms Terms, DateTimeOffset ExpiresAt) : ILedgerEvent;

public sealed record ChannelSettled(string Payee, SignedVoucher Best, DateTimeOffset At) : ILedgerEvent;

public sealed record CloseRequested(string Payer, string ChannelId, DateTimeOffset At, TimeSpan DisputeWindow) : ILedgerEvent;

public sealed record ChannelReclaimed(string Payer, string ChannelId, DateTimeOffset At) : ILedgerEvent;

public sealed record LedgerDone
{
    public static LedgerDone Instance { get; } = new();
}

public sealed record LedgerRefused(string Reason);

public sealed record GetLedgerBalance(string Address);

public sealed record LedgerBalance(string Address, BigInteger Balance);

public sealed record GetLedgerChannel(string ChannelId);

public sealed record LedgerChannel(ChannelRecord? Channel);
