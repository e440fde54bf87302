using Akka.Actor;
using Naeural.Actors.Edge;
using Naeural.Ledger.Billing;
using Naeural.Ledger.Channels;
using Naeural.Ledger.Epochs;

namespace Naeural.Ledger;

/// <summary>The ledger's routes at a node's client edge: what a client asks the ledger, billing, its channels and the epochs.</summary>
public static class LedgerEdgeRoutes
{
    /// <summary>
    /// Adds the ledger's client requests: signed ledger requests and ledger reads to the ledger proxy; vouchers and channel
    /// states to billing; signed settles to the payment-channel region; epoch reports and the clock to
    /// the epoch observer. All but the ledger's (one network-wide singleton) may be asked of another member (<see cref="ToNode"/>).
    /// </summary>
    public static EdgeRoutes WithLedger(this EdgeRoutes routes, IActorRef ledgerProxy, IActorRef billing, IActorRef channels, IActorRef epochObserver) =>
        routes
            .Route<SignedLedgerRequest>(ledgerProxy)
            .Route<GetLedgerBalance>(ledgerProxy)
            .Route<GetLedgerChannel>(ledgerProxy)
            .Route<GetLedgerObservers>(ledgerProxy)
            .Route<GetLedgerEpochReward>(ledgerProxy)
            .Route<GetLedgerLicences>(ledgerProxy)
            .Route<PayWithVoucher>(billing, NodeBilling.Path)
            .Route<GetChannelState>(billing, NodeBilling.Path)
            .Route<SettleChannel>(channels, "/system/sharding/" + PaymentChannelEntity.TypeName)
            .Route<GetEpochReport>(epochObserver, "/user/" + EpochObserver.Name)
            .Route<GetEpochClock>(epochObserver, "/user/" + EpochObserver.Name);
}
