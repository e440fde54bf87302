using Naeural.Ledger.Billing;
using Naeural.Ledger.Channels;
using Naeural.Ledger.Epochs;

namespace Naeural.Ledger;

/// <summary>The ledger's messages, events and states: its part of the serializer allow-list (the Host adds it).</summary>
public static class LedgerMessages
{
    public static IReadOnlyList<Type> Types { get; } =
    [
        typeof(Voucher), typeof(SignedVoucher), typeof(ChannelTerms), typeof(ChannelRecord),
        // Embedded ledger: signed requests (the raw ILedgerRequests are deliberately absent: they never leave their process),
        // the gate's events, the ledger's events and answers.
        typeof(SignedLedgerRequest), typeof(LedgerNonceUsed), typeof(LedgerGateSnapshot),
        typeof(Minted), typeof(ChannelOpened), typeof(ChannelSettled), typeof(CloseRequested), typeof(ChannelReclaimed),
        typeof(LedgerDone), typeof(LedgerRefused), typeof(GetLedgerBalance), typeof(LedgerBalance), typeof(GetLedgerChannel), typeof(LedgerChannel),
        // Embedded ledger: epoch rewards.
        typeof(EpochResult), typeof(ObserverRegistry), typeof(EpochRewardRecord),
        typeof(SetRewardObservers), typeof(FundEpochRewards), typeof(ClaimEpochReward),
        typeof(RewardObserversSet), typeof(EpochRewardsFunded), typeof(EpochRewardClaimed),
        typeof(GetLedgerObservers), typeof(LedgerObservers), typeof(GetLedgerEpochReward), typeof(LedgerEpochReward),
        // Embedded ledger: node licences (events persisted; the query and its answer cross nodes to the singleton).
        typeof(NodeLicenceGranted), typeof(NodeLicenceRevoked), typeof(GetLedgerLicences), typeof(LedgerLicences),
        // Payment channels: commands, answers, events.
        typeof(TrackChannel), typeof(PayWithVoucher), typeof(SettleChannel), typeof(GetChannelState), typeof(ChannelTracked),
        typeof(VoucherPaid), typeof(ChannelRefused), typeof(ChannelSettledAck), typeof(ChannelState),
        typeof(ChannelTrackingStarted), typeof(VoucherAccepted), typeof(ChannelSettledOnBackend),
        // Epochs: shared tables and result signatures, the archive's events, snapshot and answers.
        typeof(SignedAvailability), typeof(EpochResult), typeof(EpochResultSigned), typeof(EpochResultRecorded),
        typeof(EpochSignatureRecorded), typeof(EpochArchiveSnapshot), typeof(EpochReport), typeof(GetEpochReport),
        typeof(GetEpochClock), typeof(EpochClockReading),
        // Billing: the payee's account queries and events.
        typeof(GetOwnerAccount), typeof(OwnerAccount), typeof(OwnerChannelBound), typeof(GetBillingOwners), typeof(BillingOwners),
    ];
}
