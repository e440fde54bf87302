using Akka.Hosting;
using Naeural.Actors.Placement;
using Naeural.Actors.Security;
using Naeural.Ledger.Billing;
using Naeural.Ledger.Channels;
using Naeural.Ledger.Epochs;
using Naeural.Ledger.Identity;
using Naeural.Ledger.Replication;

namespace Naeural.Ledger.Hosting;

/// <summary>What the ledger's actors of one node are made from (<see cref="LedgerHosting.AddNaeuralLedger"/>): built by the Host from its settings.</summary>
/// <param name="Identity">The node's key: it signs its settlements, claims and epoch results.</param>
/// <param name="Gate">The embedded ledger's gate (freshness, network, mint authorities); its journal is chosen by <see cref="Replication"/>.</param>
/// <param name="Settlement">
/// Where this node settles, claims and reads the ledger: made once per node by the Host (the embedded ledger's proxy, which
/// is in the registry by then, or a chain client), shared by its channels, licence watch and rewards.
/// </param>
/// <param name="Epochs">The epoch clock and tolerances; the signing domain is the settlement's.</param>
/// <param name="Billing">The credit this node extends to an owner before it asks for a voucher.</param>
/// <param name="Board">The kernel's placement picture: a node's channel shard is placed on that node.</param>
public sealed record LedgerSetup(
    NodeKey Identity,
    LedgerGateSettings Gate,
    Func<IReadOnlyActorRegistry, ISettlementBackend> Settlement,
    EpochSettings Epochs,
    BillingSettings Billing,
    PlacementBoard Board)
{
    /// <summary>
    /// The oldest member's journal replicated to a majority of members' own stores (the ledger and the pipeline shard
    /// coordinator keep theirs there), made when the actor system starts (its log is disposed with it); null where the
    /// node's default journal is shared (PostgreSQL).
    /// </summary>
    public Func<LedgerReplicationSettings>? Replication { get; init; }

    /// <summary>Admits peers by their on-chain licence, refreshed every <see cref="LicenceRefresh"/>; null: no licence watch.</summary>
    public PeerAdmission? LicensedAdmission { get; init; }

    public TimeSpan LicenceRefresh { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>How often the node looks for epoch rewards it may claim.</summary>
    public TimeSpan RewardClaimInterval { get; init; } = TimeSpan.FromSeconds(60);

    public PaymentChannelSettings Channels { get; init; } = new();
}
