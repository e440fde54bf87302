using Akka.Actor;
using Akka.Persistence;
using Naeural.Actors.Security;

namespace Naeural.Ledger.Channels;

/// <summary>
/// The payee's side of one payment channel (entity id = channel id), persistent. Tracks a channel only once the settlement
/// layer confirms its terms (this node as payee, the escrowed deposit); then checks every voucher with
/// <see cref="VoucherRules"/> before persisting it, so the best voucher survives restarts; settles once with it. It settles on
/// its own, so a payer can't take back what it paid: every <see cref="PaymentChannelSettings.WatchInterval"/> it reads the
/// channel's record on the settlement layer (<see cref="ChannelWatch"/>) and settles its best voucher at once when the payer
/// requested a close, or when less than <see cref="PaymentChannelSettings.SettleBeforeExpiry"/> is left before expiry; from
/// then on it refuses vouchers (work paid with them could no longer be settled). A failed settlement is tried again at the
/// next watch.
/// </summary>
public sealed class PaymentChannelEntity : ReceivePersistentActor, IWithTimers
{
    public const string TypeName = "payment-channel";

    /// <summary>Refusal code: the channel is closing (a close was requested, or it expires soon): vouchers are no longer taken.</summary>
    public const string Closing = "CLOSING";

    public const string NotAuthorised = "NOT_AUTHORISED";

    private readonly string _channelId;
    private readonly string _payee;
    private readonly ISettlementBackend _backend;
    private readonly VoucherSigning _signing;
    private readonly TimeProvider _time;
    private readonly ISignatureVerifier _verifier;
    private readonly PaymentChannelSettings _settings;
    private ChannelTerms? _terms;
    private DateTimeOffset _expiresAt;
    private ChannelBalance _balance = ChannelBalance.Empty;
    private bool _settled;
    private string? _closing;

    public PaymentChannelEntity(string channelId, string payee, ISettlementBackend backend, ISignatureVerifier verifier, TimeProvider time,
        PaymentChannelSettings? settings = null)
    {
        _settings = (settings ?? new PaymentChannelSettings()).Validated();
        _time = time;
        _verifier = verifier;
        _channelId = ChannelIds.Canonical(channelId);
        _payee = payee;
        _backend = backend;
        _signing = new VoucherSigning(backend.Domain);
        PersistenceId = $"channel-{_channelId}";

        Recover<IChannelEvent>(Apply);
        Recover<RecoveryCompleted>(_ => Watch());

        Command<TrackChannel>(_ => Track());
        Command<WakeChannel>(_ => { });
        Command<WatchTick>(_ => ReadRecord());
        Command<Watched>(OnWatched);
        Command<BackendAnswer>(OnBackendAnswer);
        Command<PayWithVoucher>(Pay);
        Command<SettleChannel>(Settle);
        Command<SettleNow>(_ => SettleBest(Sender));
        Command<GetChannelState>(_ => Sender.Tell(new ChannelState(_channelId, _terms, _balance.Collected, _balance.LastNonce, _settled)));
        Command<Naeural.Actors.Sharding.StopEntity>(_ => Context.Stop(Self));
    }

    public override string PersistenceId { get; }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(string channelId, string payee, ISettlementBackend backend, ISignatureVerifier verifier, TimeProvider time,
        PaymentChannelSettings? settings = null) =>
        Akka.Actor.Props.Create(() => new PaymentChannelEntity(channelId, payee, backend, verifier, time, settings));

    /// <summary>Watches a tracked, unsettled channel's record (at once, then every interval); nothing else needs watching.</summary>
    private void Watch()
    {
        if (_terms is not null && !_settled && !Timers.IsTimerActive(WatchTick.Instance))
        {
            Self.Tell(WatchTick.Instance);
            Timers.StartPeriodicTimer(WatchTick.Instance, WatchTick.Instance, _settings.WatchInterval);
        }
    }

    private void ReadRecord()
    {
        if (_settled)
        {
            Timers.Cancel(WatchTick.Instance);
            return;
        }

        _backend.GetChannelAsync(_channelId).PipeTo(Self, success: c => new Watched(c, null), failure: e => new Watched(null, e.Message));
    }

    private void OnWatched(Watched watched)
    {
        if (_settled || watched.Error is not null)
        {
            return; // a settlement layer that can't be read now is read again at the next watch
        }

        var (action, reason) = ChannelWatch.Decide(watched.Channel, _expiresAt, _time.GetUtcNow(), _settings.SettleBeforeExpiry);
        switch (action)
        {
            case ChannelWatchAction.Ended:
                Timers.Cancel(WatchTick.Instance);
                Persist(new ChannelSettledOnBackend(watched.Channel!.PaidToPayee), Apply);
                return;
            case ChannelWatchAction.SettleNow:
                _closing = reason;
                if (_balance.Best is { } best)
                {
                    StartSettling(best, ActorRefs.Nobody);
                }

                return;
            default:
                return;
        }
    }

    private void Track()
    {
        if (_terms is not null)
        {
            Sender.Tell(new ChannelTracked(_terms, _expiresAt));
            return;
        }

        var replyTo = Sender;
        _backend.GetChannelAsync(_channelId).PipeTo(Self, success: c => new BackendAnswer(replyTo, c, null),
            failure: e => new BackendAnswer(replyTo, null, e.Message));
    }

    private void OnBackendAnswer(BackendAnswer answer)
    {
        if (answer.Channel is not { } channel)
        {
            answer.ReplyTo.Tell(new ChannelRefused(_channelId, "UNKNOWN_CHANNEL", answer.Error ?? $"the settlement layer has no channel {_channelId}"));
            return;
        }

        if (!AccountAddress.Same(channel.Payee, _payee) || channel.Settled)
        {
            answer.ReplyTo.Tell(new ChannelRefused(_channelId, "NOT_PAYEE", $"channel {_channelId} pays {channel.Payee}{(channel.Settled ? " and is settled" : "")}, not this node"));
            return;
        }

        var terms = new ChannelTerms(channel.ChannelId, channel.Payer, channel.Payee, channel.Deposit);
        Persist(new ChannelTrackingStarted(terms, channel.ExpiresAt), e =>
        {
            Apply(e);
            answer.ReplyTo.Tell(new ChannelTracked(e.Terms, e.ExpiresAt));
            Watch();
        });
    }

    private void Pay(PayWithVoucher pay)
    {
        if (_terms is null || _settled)
        {
            Sender.Tell(new ChannelRefused(_channelId, _settled ? "SETTLED" : "NOT_TRACKED", _settled ? "channel is settled" : "channel is not tracked yet"));
            return;
        }

        if (_time.GetUtcNow() > _expiresAt - _settings.SettleBeforeExpiry)
        {
            Sender.Tell(new ChannelRefused(_channelId, "EXPIRING",
                $"the channel expires at {_expiresAt:u}: too late to accept work that must be settled before then"));
            return;
        }

        if (_closing is not null)
        {
            Sender.Tell(new ChannelRefused(_channelId, Closing, $"the payee is settling this channel: {_closing}"));
            return;
        }

        var decision = VoucherRules.Check(_terms, _balance, pay.Voucher, _signing);
        if (!decision.Accepted)
        {
            Sender.Tell(new ChannelRefused(_channelId, decision.Code!, decision.Reason!));
            return;
        }

        var replyTo = Sender;
        Persist(new VoucherAccepted(pay.Voucher), e =>
        {
            Apply(e);
            replyTo.Tell(new VoucherPaid(_channelId, decision.Increment, _balance.Collected));
        });
    }

    private void Settle(SettleChannel settle)
    {
        if (Unauthorised(settle) is { } reason)
        {
            Sender.Tell(new ChannelRefused(_channelId, NotAuthorised, reason));
            return;
        }

        SettleBest(Sender);
    }

    private void SettleBest(IActorRef replyTo)
    {
        if (_balance.Best is not { } best || _settled)
        {
            replyTo.Tell(new ChannelRefused(_channelId, _settled ? "SETTLED" : "NOTHING_TO_SETTLE", _settled ? "channel is settled" : "no voucher accepted yet"));
            return;
        }

        StartSettling(best, replyTo);
    }

    /// <summary>Settles with <paramref name="best"/> on the settlement layer (from this node's key), answering <paramref name="replyTo"/>.</summary>
    private void StartSettling(SignedVoucher best, IActorRef replyTo)
    {
        _backend.SettleAsync(_payee, best).PipeTo(Self, success: () => new Settled(replyTo, best.Voucher.CumulativeAmount, null),
            failure: e => new Settled(replyTo, 0, e.Message));
        // While the backend settles, other commands wait: a second settle or a voucher must see the outcome.
        BecomeStacked(() =>
        {
            Command<Settled>(settled =>
            {
                UnbecomeStacked();
                Stash.UnstashAll();
                if (settled.Error is not null)
                {
                    settled.ReplyTo.Tell(new ChannelRefused(_channelId, "SETTLEMENT_FAILED", settled.Error));
                    return;
                }

                Persist(new ChannelSettledOnBackend(settled.Paid), e =>
                {
                    Apply(e);
                    Timers.Cancel(WatchTick.Instance);
                    settled.ReplyTo.Tell(new ChannelSettledAck(_channelId, settled.Paid));
                });
            });
            CommandAny(_ => Stash.Stash());
        });
    }

    /// <summary>Why this settle is not obeyed, or null: signed recently by the payer or payee.</summary>
    private string? Unauthorised(SettleChannel settle)
    {
        if (settle.Request is null)
        {
            return $"a settle must be signed by the channel's payer or payee ({nameof(SettleChannel)}.{nameof(SettleChannel.Sign)})";
        }

        var (signer, error) = settle.VerifySigner(_channelId, _verifier, _time.GetUtcNow(), _settings.Network);
        if (signer is null)
        {
            return error;
        }

        return AccountAddress.Same(signer, _payee)
               || AccountAddress.Same(signer, _terms?.Payer)
            ? null
            : $"{signer} is neither the payer nor the payee of {_channelId}";
    }

    /// <summary>The one place the channel's journal changes its state, recovering or persisting.</summary>
    private void Apply(IChannelEvent e)
    {
        switch (e)
        {
            case ChannelTrackingStarted started:
                (_terms, _expiresAt) = (started.Terms, started.ExpiresAt);
                break;
            case VoucherAccepted accepted:
                _balance = new ChannelBalance(accepted.Voucher.Voucher.CumulativeAmount, accepted.Voucher.Voucher.Nonce, accepted.Voucher);
                break;
            case ChannelSettledOnBackend:
                _settled = true;
                break;
            default:
                throw new InvalidOperationException($"no rule applies {e.GetType().Name} to a payment channel");
        }
    }

    private sealed record BackendAnswer(IActorRef ReplyTo, ChannelRecord? Channel, string? Error);

    private sealed record Watched(ChannelRecord? Channel, string? Error);

    private sealed record WatchTick
    {
        public static WatchTick Instance { get; } = new();
    }

    private sealed record Settled(IActorRef ReplyTo, System.Numerics.BigInteger Paid, string? Error);
}
