using System.Collections.Immutable;
using Akka.Actor;
using Akka.Persistence;
using Naeural.Actors.Metering;
using Naeural.Ledger.Channels;

namespace Naeural.Ledger.Billing;

/// <summary>
/// This node's side of billing (<c>/user/billing</c>), persistent. Owners pay here: a <see cref="PayWithVoucher"/> for a
/// channel it has not seen yet has the channel tracked first (its <see cref="PaymentChannelEntity"/> checks with the
/// settlement layer that it pays this node), which binds the channel to its payer; then every voucher goes to the channel's
/// entity, which answers the payer. <see cref="GetOwnerAccount"/> puts the meter's total billed next to what the owner's
/// channels collected: an owner more than the credit limit behind is in arrears. <see cref="GetBillingOwners"/> lists every
/// owner bound to a channel, with its channels.
/// </summary>
public sealed class NodeBilling : ReceivePersistentActor
{
    public const string Name = "billing";

    /// <summary>The actor's path on its node.</summary>
    public const string Path = "/user/" + Name;

    private static readonly TimeSpan AskTimeout = TimeSpan.FromSeconds(10);

    private readonly IActorRef _channels;
    private readonly ICanTell _meter;
    private readonly BillingSettings _settings;
    private ImmutableDictionary<string, ImmutableList<string>> _owners = ImmutableDictionary<string, ImmutableList<string>>.Empty;
    private ImmutableHashSet<string> _bound = [];

    /// <param name="channels">This node's payment-channel region.</param>
    /// <param name="meter">This node's work meter.</param>
    public NodeBilling(string nodeId, IActorRef channels, ICanTell meter, BillingSettings settings)
    {
        _channels = channels;
        _meter = meter;
        _settings = settings;
        PersistenceId = $"billing-{nodeId.ToLowerInvariant()}";

        Recover<OwnerChannelBound>(Apply);
        // Every channel this node was paid through watches its settlement layer again after a restart (settles before expiry,
        // or at once when its payer asks to close).
        Recover<RecoveryCompleted>(_ =>
        {
            foreach (var channel in _bound)
            {
                _channels.Tell(new WakeChannel(channel));
            }
        });

        Command<PayWithVoucher>(Pay);
        Command<TrackAnswer>(OnTracked);
        Command<GetOwnerAccount>(Account);
        Command<GetBillingOwners>(_ => Sender.Tell(new BillingOwners(
            _owners.ToImmutableSortedDictionary(o => o.Key, o => o.Value.ToImmutableArray(), StringComparer.Ordinal))));
        Command<GetChannelState>(q =>
        {
            if (_bound.Contains(q.ChannelId))
            {
                _channels.Forward(q);
            }
            else
            {
                Sender.Tell(new ChannelState(q.ChannelId, null, 0, 0, false));
            }
        });
    }

    public override string PersistenceId { get; }

    public static Props Props(string nodeId, IActorRef channels, ICanTell meter, BillingSettings settings) =>
        Akka.Actor.Props.Create(() => new NodeBilling(nodeId, channels, meter, settings));

    private void Pay(PayWithVoucher pay)
    {
        if (!ChannelIds.IsCanonicalId(pay.ChannelId))
        {
            Sender.Tell(new ChannelRefused(pay.ChannelId, VoucherRules.WrongChannel, "a channel id is 0x + 64 lower-case hex"));
            return;
        }

        if (_bound.Contains(pay.ChannelId))
        {
            _channels.Tell(pay, Sender);
            return;
        }

        var replyTo = Sender;
        _channels.Ask<object>(new TrackChannel(pay.ChannelId), AskTimeout).PipeTo(Self,
            success: answer => new TrackAnswer(pay, replyTo, answer),
            failure: e => new TrackAnswer(pay, replyTo, new ChannelRefused(pay.ChannelId, "UNKNOWN_CHANNEL", e.Message)));
    }

    private void OnTracked(TrackAnswer answer)
    {
        if (answer.Answer is not ChannelTracked tracked)
        {
            answer.ReplyTo.Tell(answer.Answer);
            return;
        }

        if (_bound.Contains(tracked.Terms.ChannelId))
        {
            _channels.Tell(answer.Pay, answer.ReplyTo);
            return;
        }

        Persist(new OwnerChannelBound(tracked.Terms.Payer.ToLowerInvariant(), tracked.Terms.ChannelId), e =>
        {
            Apply(e);
            _channels.Tell(answer.Pay, answer.ReplyTo);
        });
    }

    private void Account(GetOwnerAccount query)
    {
        var channels = _owners.GetValueOrDefault(query.Owner.ToLowerInvariant(), []);
        var credit = _settings.CreditLimit;
        var billed = _meter.Ask<OwnerBilled>(new GetBilled(query.Owner), AskTimeout);
        var states = channels.Select(c => _channels.Ask<ChannelState>(new GetChannelState(c), AskTimeout)).ToList();
        Compose().PipeTo(Sender);

        async Task<OwnerAccount> Compose()
        {
            var total = (await billed).Billed;
            var collected = (await Task.WhenAll(states)).Aggregate(System.Numerics.BigInteger.Zero, (sum, s) => sum + s.Collected);
            var arrears = total > collected ? total - collected : 0;
            return new OwnerAccount(query.Owner, total, collected, arrears, arrears > credit, [.. channels]);
        }
    }

    private void Apply(OwnerChannelBound e)
    {
        _owners = _owners.SetItem(e.Owner, _owners.GetValueOrDefault(e.Owner, []).Add(e.ChannelId));
        _bound = _bound.Add(e.ChannelId);
    }

    private sealed record TrackAnswer(PayWithVoucher Pay, IActorRef ReplyTo, object Answer);
}
