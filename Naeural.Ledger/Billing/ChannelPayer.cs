using System.Numerics;
using System.Text.Json.Nodes;
using Akka.Actor;
using Naeural.Actors.Commands;
using Akka.Event;
using Naeural.Actors.Metering;
using Naeural.Actors.Security;
using Naeural.Ledger.Channels;
using Naeural.Ledger.Identity;

namespace Naeural.Ledger.Billing;

/// <summary>
/// The payer's side of one channel, in the owner's client. Polls the payee node's front door for new receipts (a
/// <c>GET_RECEIPTS</c> read signed by the payer, the receipts' owner: nobody else may read them) and accepts
/// one only if it opens (the payee node's signature, amount = units × price), is for this payer, is the next in sequence,
/// is priced at the agreed price and carries the running total; the first receipt that fails is ignored, counted and
/// reported, and nothing after it is taken until a good one fills its place. Then it pays one voucher at a time for the
/// cumulative amount the accepted receipts justify, never above it and never above the deposit; an amount the payee refused
/// is not offered again until more work is billed.
/// </summary>
public sealed class ChannelPayer : ReceiveActor, IWithTimers
{
    private static readonly TimeSpan VoucherTimeout = TimeSpan.FromSeconds(10);

    private readonly PayerTerms _terms;
    private readonly NodeKey _payer;
    private readonly ICanTell _frontDoor;
    private readonly ICanTell _billing;
    private readonly VoucherSigning _signing;
    private readonly ISignatureVerifier _verifier;
    private readonly TimeSpan _pollInterval;
    private readonly string _network;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private long _lastSequence;
    private BigInteger _billed;
    private BigInteger _paid;
    private BigInteger _nonce;
    private Voucher? _inFlight;
    private int _refused;
    private string? _lastProblem;
    private ChannelRefused? _lastRefusal;
    private BigInteger _refusedAmount = -1;

    /// <param name="frontDoor">The payee node's front door (<see cref="Naeural.Actors.Api.NodeApi"/>), which answers signed reads.</param>
    /// <param name="billing">The payee node's billing, where vouchers go.</param>
    /// <param name="resume">Where the payee stands already (nonce, collected): a fresh channel starts at zero.</param>
    /// <param name="network">The network the payer's reads are signed for.</param>
    public ChannelPayer(PayerTerms terms, NodeKey payer, ICanTell frontDoor, ICanTell billing, VoucherSigning signing,
        ISignatureVerifier verifier, TimeSpan pollInterval, PayerResume? resume = null, string network = NetworkIds.Default)
    {
        _nonce = resume?.LastNonce ?? 0;
        _paid = resume?.Collected ?? 0;
        _terms = terms;
        _payer = payer;
        _frontDoor = frontDoor;
        _network = network;
        _billing = billing;
        _signing = signing;
        _verifier = verifier;
        _pollInterval = pollInterval;

        Receive<Poll>(_ => _frontDoor.Tell(SignedCommand.Create(ReadActions.Receipts, "", new JsonObject { [ReadActions.AfterField] = _lastSequence, [ReadActions.NodeField] = _terms.Channel.Payee },
            _payer, DateTimeOffset.UtcNow, network: _network), Self));
        Receive<WorkReceipts>(OnReceipts);
        Receive<CommandRejected>(rejected =>
        {
            _lastProblem = $"the payee refused to read receipts: {rejected.Code} {rejected.Reason}";
            _log.Warning("The payee {Payee} refused a receipts read: {Code} {Reason}", _terms.Channel.Payee, rejected.Code, rejected.Reason);
        });
        Receive<VoucherPaid>(paid =>
        {
            _inFlight = null;
            Timers.Cancel(VoucherLost.Instance);
            _paid = BigInteger.Max(_paid, paid.Collected);
            PayIfDue();
        });
        Receive<ChannelRefused>(OnRefused);
        Receive<VoucherLost>(_ =>
        {
            _inFlight = null; // the next voucher has a higher nonce; if the lost one was taken, it is refused as NOT_INCREASING
            PayIfDue();
        });
        Receive<GetPayerState>(_ => Sender.Tell(new PayerState(_terms.Channel.ChannelId, _lastSequence, _billed, _paid, _refused,
            _lastProblem, _lastRefusal, _billed > _terms.Channel.Deposit)));
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(PayerTerms terms, NodeKey payer, ICanTell frontDoor, ICanTell billing, VoucherSigning signing,
        ISignatureVerifier verifier, TimeSpan pollInterval, PayerResume? resume = null, string network = NetworkIds.Default) =>
        Akka.Actor.Props.Create(() => new ChannelPayer(terms, payer, frontDoor, billing, signing, verifier, pollInterval, resume, network));

    protected override void PreStart() => Timers.StartPeriodicTimer(Poll.Instance, Poll.Instance, TimeSpan.Zero, _pollInterval);

    private void OnReceipts(WorkReceipts answer)
    {
        foreach (var signed in answer.Receipts.Where(r => r.Sequence > _lastSequence).OrderBy(r => r.Sequence))
        {
            if (Check(signed) is { } problem)
            {
                _refused++;
                _lastProblem = $"receipt #{signed.Sequence}: {problem}";
                _log.Warning("Ignoring a receipt from {Payee}: {Problem}", _terms.Channel.Payee, _lastProblem);
                break;
            }
        }

        PayIfDue();
    }

    /// <summary>Accepts the receipt (null) or says why not.</summary>
    private string? Check(SignedWorkReceipt signed)
    {
        var (receipt, error) = WorkReceipt.Open(signed, _verifier, _network);
        if (receipt is null)
        {
            return error;
        }

        var channel = _terms.Channel;
        var problem = receipt switch
        {
            _ when !AccountAddress.Same(receipt.NodeId, channel.Payee) => $"issued by {receipt.NodeId}, not the payee {channel.Payee}",
            _ when !AccountAddress.Same(receipt.Owner, _payer.Address) => $"bills {receipt.Owner}, not {_payer.Address}",
            _ when receipt.Sequence != _lastSequence + 1 => $"sequence {receipt.Sequence} does not follow {_lastSequence}",
            _ when receipt.PricePerUnit != _terms.PricePerUnit => $"priced at {receipt.PricePerUnit} per unit, not the agreed {_terms.PricePerUnit}",
            _ when receipt.BilledTotal != _billed + receipt.Amount => $"total {receipt.BilledTotal} is not {_billed} + {receipt.Amount}",
            _ => null,
        };
        if (problem is null)
        {
            _lastSequence = receipt.Sequence;
            _billed = receipt.BilledTotal;
        }

        return problem;
    }

    /// <summary>One voucher in flight at a time, for what the accepted receipts justify, capped by the deposit.</summary>
    private void PayIfDue()
    {
        var due = BigInteger.Min(_billed, _terms.Channel.Deposit);
        if (_inFlight is not null || due <= _paid || due == _refusedAmount)
        {
            return;
        }

        _inFlight = new Voucher(_terms.Channel.ChannelId, due, ++_nonce);
        _billing.Tell(new PayWithVoucher(_terms.Channel.ChannelId, _signing.Sign(_payer, _inFlight)), Self);
        Timers.StartSingleTimer(VoucherLost.Instance, VoucherLost.Instance, VoucherTimeout);
    }

    private void OnRefused(ChannelRefused refused)
    {
        var sent = _inFlight;
        _inFlight = null;
        Timers.Cancel(VoucherLost.Instance);
        if (refused.Code == VoucherRules.NotIncreasing && sent is not null)
        {
            _paid = BigInteger.Max(_paid, sent.CumulativeAmount); // an earlier voucher for this amount was taken: its answer was lost
            return;
        }

        _lastRefusal = refused;
        _refusedAmount = sent?.CumulativeAmount ?? -1; // not offered again until more work is billed
        _log.Warning("The payee refused a voucher on {ChannelId}: {Code} {Reason}", refused.ChannelId, refused.Code, refused.Reason);
    }

    private sealed record Poll
    {
        public static Poll Instance { get; } = new();
    }

    private sealed record VoucherLost
    {
        public static VoucherLost Instance { get; } = new();
    }
}
