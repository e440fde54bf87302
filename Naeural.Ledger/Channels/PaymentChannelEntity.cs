using Akka.Actor;
using Akka.Persistence;
using Naeural.Actors.Security;

namespace Naeural.Ledger.Channels;

/// <summary>
/// The payee's side of one payment channel (entity id = channel id), persistent. Tracks a channel only once the settlement
/// layer confirms its terms (this node as payee, the escrowed deposit); then checks every voucher with
/// <see cref="VoucherRules"/> before persisting it, so the best voucher survives restarts; settles once with it. Vouchers are
/// refused once less than <see cref="SettleMargin"/> is left before the channel expires: work paid with them could no longer
/// be settled in time.
/// </summary>
public sealed class PaymentChannelEntity : ReceivePersistentActor
{
    public const string TypeName = "payment-channel";

    /// <summary>Time kept in hand before expiry to get the settlement on chain.</summary>
    public static readonly TimeSpan SettleMargin = TimeSpan.FromMinutes(10);

    public const string NotAuthorised = "NOT_AUTHORISED";

    private readonly string _channelId;
    private readonly string _payee;
    private readonly ISettlementBackend _backend;
    private readonly VoucherSigning _signing;
    private readonly TimeProvider _time;
    private readonly ISignatureVerifier _verifier;
    private ChannelTerms? _terms;
    private DateTimeOffset _expiresAt;
    private ChannelBalance _balance = ChannelBalance.Empty;
    private bool _settled;

    public PaymentChannelEntity(string channelId, string payee, ISettlementBackend backend, ISignatureVerifier verifier, TimeProvider time)
    {
        _time = time;
        _verifier = verifier;
        _channelId = ChannelIds.Canonical(channelId);
        _payee = payee;
        _backend = backend;
        _signing = new VoucherSigning(backend.Domain);
        PersistenceId = $"channel-{_channelId}";

        Recover<ChannelTrackingStarted>(e => (_terms, _expiresAt) = (e.Terms, e.ExpiresAt));
        Recover<VoucherAccepted>(Apply);
        Recover<ChannelSettledOnBackend>(_ => _settled = true);

        Command<TrackChannel>(_ => Track());
        Command<BackendAnswer>(OnBackendAnswer);
        Command<PayWithVoucher>(Pay);
        Command<SettleChannel>(Settle);
        Command<GetChannelState>(_ => Sender.Tell(new ChannelState(_channelId, _terms, _balance.Collected, _balance.LastNonce, _settled)));
        Command<Naeural.Actors.Sharding.StopEntity>(_ => Context.Stop(Self));
    }

    public override string PersistenceId { get; }

    public static Props Props(string channelId, string payee, ISettlementBackend backend, ISignatureVerifier verifier, TimeProvider time) =>
        Akka.Actor.Props.Create(() => new PaymentChannelEntity(channelId, payee, backend, verifier, time));

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

        if (!string.Equals(channel.Payee, _payee, StringComparison.OrdinalIgnoreCase) || channel.Settled)
        {
            answer.ReplyTo.Tell(new ChannelRefused(_channelId, "NOT_PAYEE", $"channel {_channelId} pays {channel.Payee}{(channel.Settled ? " and is settled" : "")}, not this node"));
            return;
        }

        var terms = new ChannelTerms(channel.ChannelId, channel.Payer, channel.Payee, channel.Deposit);
        Persist(new ChannelTrackingStarted(terms, channel.ExpiresAt), e =>
        {
            (_terms, _expiresAt) = (e.Terms, e.ExpiresAt);
            answer.ReplyTo.Tell(new ChannelTracked(e.Terms, e.ExpiresAt));
        });
    }

    private void Pay(PayWithVoucher pay)
    {
        if (_terms is null || _settled)
        {
            Sender.Tell(new ChannelRefused(_channelId, _settled ? "SETTLED" : "NOT_TRACKED", _settled ? "channel is settled" : "channel is not tracked yet"));
            return;
        }

        if (_time.GetUtcNow() > _expiresAt - SettleMargin)
        {
            Sender.Tell(new ChannelRefused(_channelId, "EXPIRING",
                $"the channel expires at {_expiresAt:u}: too late to accept work that must be settled before then"));
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

        if (_balance.Best is not { } best || _settled)
        {
            Sender.Tell(new ChannelRefused(_channelId, _settled ? "SETTLED" : "NOTHING_TO_SETTLE", _settled ? "channel is settled" : "no voucher accepted yet"));
            return;
        }

        var replyTo = Sender;
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

                Persist(new ChannelSettledOnBackend(settled.Paid), _ =>
                {
                    _settled = true;
                    settled.ReplyTo.Tell(new ChannelSettledAck(_channelId, settled.Paid));
                });
            });
            CommandAny(_ => Stash.Stash());
        });
    }

    /// <summary>Why this settle is not obeyed, or null: unsigned from this node's own actors, or signed recently by the payer or payee.</summary>
    private string? Unauthorised(SettleChannel settle)
    {
        if (settle.Request is null)
        {
            return Sender.Path.Address.HasLocalScope
                ? null
                : $"a settle from another machine must be signed by the channel's payer or payee ({nameof(SettleChannel)}.{nameof(SettleChannel.Sign)})";
        }

        var (signer, error) = settle.VerifySigner(_channelId, _verifier, _time.GetUtcNow());
        if (signer is null)
        {
            return error;
        }

        return string.Equals(signer, _payee, StringComparison.OrdinalIgnoreCase)
               || string.Equals(signer, _terms?.Payer, StringComparison.OrdinalIgnoreCase)
            ? null
            : $"{signer} is neither the payer nor the payee of {_channelId}";
    }

    private void Apply(VoucherAccepted e) =>
        _balance = new ChannelBalance(e.Voucher.Voucher.CumulativeAmount, e.Voucher.Voucher.Nonce, e.Voucher);

    private sealed record BackendAnswer(IActorRef ReplyTo, ChannelRecord? Channel, string? Error);

    private sealed record Settled(IActorRef ReplyTo, System.Numerics.BigInteger Paid, string? Error);
}
