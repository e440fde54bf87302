using System.Numerics;
using System.Text.Json.Nodes;
using Naeural.Actors.Security;
using Naeural.Actors.Serialization;

namespace Naeural.Ledger.Channels;

/// <summary>A message for one <see cref="PaymentChannelEntity"/> (routed by sharding on <see cref="ChannelId"/>).</summary>
public interface IPaymentChannelMessage
{
    string ChannelId { get; }
}

/// <summary>The payee starts accepting vouchers on a channel the payer opened (checked against the settlement layer first).</summary>
[WireName("ledger.channels.track-channel")]
public sealed record TrackChannel(string ChannelId) : IPaymentChannelMessage;

/// <summary>
/// Starts the channel's entity if it is not running (its node's billing sends one per known channel at start), so it watches
/// its channel on the settlement layer again after a restart. Changes nothing.
/// </summary>
[WireName("ledger.channels.wake-channel")]
public sealed record WakeChannel(string ChannelId) : IPaymentChannelMessage;

/// <summary>
/// The payee node's own actors settle at once with the best voucher (local-only: the serializer refuses it both ways, so it
/// reaches a channel only from its own process).
/// </summary>
[WireName("ledger.channels.settle-now")]
public sealed record SettleNow(string ChannelId) : IPaymentChannelMessage;

/// <summary>The payer pays: a voucher for a higher cumulative amount.</summary>
[WireName("ledger.channels.pay-with-voucher")]
public sealed record PayWithVoucher(string ChannelId, SignedVoucher Voucher) : IPaymentChannelMessage;

/// <summary>
/// Settle with the payee's best voucher, on the wire: obeyed only when <see cref="Sign">signed</see> by the channel's payer
/// or payee (<see cref="Request"/>, an <c>EE_SENDER</c>-signed JSON object with the domain
/// <see cref="NetworkIds.SettleChannel"/> of this network), recently: no stranger ends someone else's channel. An unsigned
/// one is refused whoever seems to send it (a sender reference is the sender's claim); the node's own actors use
/// <see cref="SettleNow"/>, which never crosses the wire.
/// </summary>
[WireName("ledger.channels.settle-channel")]
public sealed record SettleChannel(string ChannelId, string? Request = null) : IPaymentChannelMessage
{
    public const string Action = "SETTLE_CHANNEL";
    public const string ActionField = "ACTION";
    public const string ChannelField = "CHANNEL_ID";
    public const string TimeField = "TIME";

    /// <summary>How far a signed settle's <c>TIME</c> may be from the payee's clock.</summary>
    public static readonly TimeSpan Freshness = TimeSpan.FromMinutes(5);

    /// <summary>A settle signed by <paramref name="party"/> (the payer or the payee) at <paramref name="now"/> for <paramref name="network"/>.</summary>
    public static SettleChannel Sign(string channelId, IMessageSigner party, DateTimeOffset now, string network = NetworkIds.Default) =>
        new(channelId, SignedJson.Sign(NetworkIds.SettleChannel(network).Stamp(new JsonObject
        {
            [ActionField] = Action,
            [ChannelField] = ChannelIds.Canonical(channelId),
            [TimeField] = now.ToUnixTimeMilliseconds(),
        }), party).ToJsonString());

    /// <summary>
    /// Who signed <see cref="Request"/>, checked to be a recent settle of <paramref name="channelId"/> (canonical) on
    /// <paramref name="network"/>; or why not. Whether that signer may settle is the channel's to decide.
    /// </summary>
    public (string? Signer, string? Error) VerifySigner(string channelId, ISignatureVerifier verifier, DateTimeOffset now, string network = NetworkIds.Default)
    {
        JsonObject? request;
        try
        {
            request = Request is null ? null : JsonNode.Parse(Request) as JsonObject;
        }
        catch (System.Text.Json.JsonException)
        {
            request = null;
        }

        if (request is null)
        {
            return (null, "the signed settle is not a JSON object");
        }

        var check = SignedJson.Verify(request, verifier);
        if (!check.IsValid)
        {
            return (null, check.Error);
        }

        if (NetworkIds.SettleChannel(network).Mismatch(request) is { } mismatch)
        {
            return (null, $"{mismatch.Code}: {mismatch.Reason}");
        }

        if ((string?)(request[ActionField] as JsonValue) != Action || (string?)(request[ChannelField] as JsonValue) != channelId)
        {
            return (null, $"the signature is not for {Action} of {channelId}");
        }

        if (request[TimeField] is not JsonValue time || !time.TryGetValue<long>(out var at)
            || (now - DateTimeOffset.FromUnixTimeMilliseconds(Math.Clamp(at, 0, 253402300799999))).Duration() > Freshness)
        {
            return (null, $"the signed settle's {TimeField} is missing or more than {Freshness.TotalMinutes:0} minutes from the payee's clock");
        }

        return (check.Signer, null);
    }
}

[WireName("ledger.channels.get-channel-state")]
public sealed record GetChannelState(string ChannelId) : IPaymentChannelMessage;

/// <summary>Answers <see cref="TrackChannel"/>: the terms the settlement layer holds.</summary>
[WireName("ledger.channels.channel-tracked")]
public sealed record ChannelTracked(ChannelTerms Terms, DateTimeOffset ExpiresAt);

/// <summary>Answers <see cref="PayWithVoucher"/>: what the voucher added and the total collected so far.</summary>
[WireName("ledger.channels.voucher-paid")]
public sealed record VoucherPaid(string ChannelId, BigInteger Increment, BigInteger Collected);

/// <summary>Answers <see cref="PayWithVoucher"/> or any command the channel refuses, with a code and a reason.</summary>
[WireName("ledger.channels.channel-refused")]
public sealed record ChannelRefused(string ChannelId, string Code, string Reason);

/// <summary>Answers <see cref="SettleChannel"/>: settled on the backend for this amount.</summary>
[WireName("ledger.channels.channel-settled-ack")]
public sealed record ChannelSettledAck(string ChannelId, BigInteger Paid);

/// <summary>Answers <see cref="GetChannelState"/>.</summary>
[WireName("ledger.channels.channel-state")]
public sealed record ChannelState(string ChannelId, ChannelTerms? Terms, BigInteger Collected, BigInteger LastNonce, bool Settled);

/// <summary>An event of a payment channel's journal, applied in one place (<c>PaymentChannelEntity.Apply</c>).</summary>
public interface IChannelEvent;

/// <summary>Event: the payee tracks the channel.</summary>
[WireName("ledger.channels.channel-tracking-started")]
public sealed record ChannelTrackingStarted(ChannelTerms Terms, DateTimeOffset ExpiresAt) : IChannelEvent;

/// <summary>Event: a voucher was accepted.</summary>
[WireName("ledger.channels.voucher-accepted")]
public sealed record VoucherAccepted(SignedVoucher Voucher) : IChannelEvent;

/// <summary>Event: the channel was settled on the backend.</summary>
[WireName("ledger.channels.channel-settled-on-backend")]
public sealed record ChannelSettledOnBackend(BigInteger Paid) : IChannelEvent;
