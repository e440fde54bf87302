using System.Collections.Immutable;
using System.Numerics;
using Naeural.Actors.Serialization;

namespace Naeural.Ledger.Billing;

/// <summary>Asks where an owner stands with this node: billed, collected, and whether it is in arrears.</summary>
[WireName("ledger.billing.get-owner-account")]
public sealed record GetOwnerAccount(string Owner);

/// <summary>
/// Answers <see cref="GetOwnerAccount"/>: the total of this node's receipts for the owner, what the owner's channels to this
/// node have collected in vouchers, the difference, and whether it is above the node's credit limit.
/// </summary>
[WireName("ledger.billing.owner-account")]
public sealed record OwnerAccount(string Owner, BigInteger Billed, BigInteger Collected, BigInteger Arrears, bool InArrears, ImmutableArray<string> Channels);

/// <summary>Asks which owners pay this node, through which channels (what the node's dashboard lists).</summary>
[WireName("ledger.billing.get-billing-owners")]
public sealed record GetBillingOwners
{
    public static GetBillingOwners Instance { get; } = new();
}

/// <summary>Answers <see cref="GetBillingOwners"/>: each owner (lower case) bound to a channel, with its channels in binding order.</summary>
[WireName("ledger.billing.billing-owners")]
public sealed record BillingOwners(ImmutableSortedDictionary<string, ImmutableArray<string>> ChannelsByOwner);

/// <summary>Event: an owner pays this node through this channel (the settlement layer confirmed the owner is its payer).</summary>
[WireName("ledger.billing.owner-channel-bound")]
public sealed record OwnerChannelBound(string Owner, string ChannelId);

/// <summary>How a node treats owners who pay late.</summary>
public sealed record BillingSettings
{
    /// <summary>How much billed work an owner may leave unpaid before it is reported in arrears (receipts come before payment).</summary>
    public BigInteger CreditLimit { get; init; } = 10_000;
}
