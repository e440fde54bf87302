using System.Collections.Immutable;
using System.Numerics;

namespace Naeural.Ledger.Billing;

/// <summary>Asks where an owner stands with this node: billed, collected, and whether it is in arrears.</summary>
public sealed record GetOwnerAccount(string Owner);

/// <summary>
/// Answers <see cref="GetOwnerAccount"/>: the total of this node's receipts for the owner, what the owner's channels to this
/// node have collected in vouchers, the difference, and whether it is above the node's credit limit.
/// </summary>
public sealed record OwnerAccount(string Owner, BigInteger Billed, BigInteger Collected, BigInteger Arrears, bool InArrears, ImmutableArray<string> Channels);

/// <summary>Asks which owners pay this node, through which channels (what the node's dashboard lists).</summary>
public sealed record GetBillingOwners
{
    public static GetBillingOwners Instance { get; } = new();
}

/// <summary>Answers <see cref="GetBillingOwners"/>: each owner (lower case) bound to a channel, with its channels in binding order.</summary>
public sealed record BillingOwners(ImmutableSortedDictionary<string, ImmutableArray<string>> ChannelsByOwner);

/// <summary>Event: an owner pays this node through this channel (the settlement layer confirmed the owner is its payer).</summary>
public sealed record OwnerChannelBound(string Owner, string ChannelId);

/// <summary>How a node treats owners who pay late.</summary>
public sealed record BillingSettings
{
    /// <summary>How much billed work an owner may leave unpaid before it is reported in arrears (receipts come before payment).</summary>
    public BigInteger CreditLimit { get; init; } = 10_000;
}
