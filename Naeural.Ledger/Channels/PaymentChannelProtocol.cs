using System.Numerics;

namespace Naeural.Ledger.Channels;

/// <summary>A message for one <see cref="PaymentChannelEntity"/> (routed by sharding on <see cref="ChannelId"/>).</summary>
public interface IPaymentChannelMessage
{
    string ChannelId { get; }
}

/// <summary>The payee starts accepting vouchers on a channel the payer opened (checked against the settlement layer first).</summary>
public sealed record TrackChannel(string ChannelId) : IPaymentChannelMessage;

/// <summary>The payer pays: a voucher for a higher cumulative amount.</summary>
public sealed record PayWithVoucher(string ChannelId, SignedVoucher Voucher) : IPaymentChannelMessage;

/// <summary>The payee settles with its best voucher.</summary>
public sealed record SettleChannel(string ChannelId) : IPaymentChannelMessage;

public sealed record GetChannelState(string ChannelId) : IPaymentChannelMessage;

/// <summary>Answers <see cref="TrackChannel"/>: the terms the settlement layer holds.</summary>
public sealed record ChannelTracked(ChannelTerms Terms, DateTimeOffset ExpiresAt);

/// <summary>Answers <see cref="PayWithVoucher"/>: what the voucher added and the total collected so far.</summary>
public sealed record VoucherPaid(string ChannelId, BigInteger Increment, BigInteger Collected);

/// <summary>Answers <see cref="PayWithVoucher"/> or any command the channel refuses, with a code and a reason.</summary>
public sealed record ChannelRefused(string ChannelId, string Code, string Reason);

/// <summary>Answers <see cref="SettleChannel"/>: settled on the backend for this amount.</summary>
public sealed record ChannelSettledAck(string ChannelId, BigInteger Paid);

/// <summary>Answers <see cref="GetChannelState"/>.</summary>
public sealed record ChannelState(string ChannelId, ChannelTerms? Terms, BigInteger Collected, BigInteger LastNonce, bool Settled);

/// <summary>Event: the payee tracks the channel.</summary>
public sealed record ChannelTrackingStarted(ChannelTerms Terms, DateTimeOffset ExpiresAt);

/// <summary>Event: a voucher was accepted.</summary>
public sealed record VoucherAccepted(SignedVoucher Voucher);

/// <summary>Event: the channel was settled on the backend.</summary>
public sealed record ChannelSettledOnBackend(BigInteger Paid);
