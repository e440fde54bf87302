using Akka.Actor;
using Naeural.Actors.Api;
using Naeural.Actors.Commands;

namespace Naeural.Ledger.Billing;

/// <summary>Billing's signed reads, answered by <see cref="NodeBilling"/> once the front door checked who asks.</summary>
public static class BillingReads
{
    public static IEnumerable<KeyValuePair<string, SignedReader>> For(IActorRef billing) =>
    [
        new(ReadActions.Account, new SignedReader(billing, read => new GetOwnerAccount(read.Owner))),
        new(ReadActions.BillingOwners, new SignedReader(billing, _ => GetBillingOwners.Instance)),
    ];
}

/// <summary>Billing's signed reads on a <see cref="Naeural.Actors.Client.NaeuralClient"/>.</summary>
public static class BillingReadsClient
{
    /// <summary>The developer's account (billed, collected, arrears) on the node <paramref name="nodeId"/> (default: the client's).</summary>
    public static Task<OwnerAccount> GetAccountAsync(this Naeural.Actors.Client.NaeuralClient client, string? nodeId = null,
        CancellationToken cancellationToken = default) =>
        client.ReadAsync<OwnerAccount>(ReadActions.Account, nodeId: nodeId, cancellationToken: cancellationToken);

    /// <summary>Every owner paying the node, with its channels: only the node's operator (a client holding its node key) may read it.</summary>
    public static Task<BillingOwners> GetBillingOwnersAsync(this Naeural.Actors.Client.NaeuralClient client, string? nodeId = null,
        CancellationToken cancellationToken = default) =>
        client.ReadAsync<BillingOwners>(ReadActions.BillingOwners, nodeId: nodeId, cancellationToken: cancellationToken);
}
