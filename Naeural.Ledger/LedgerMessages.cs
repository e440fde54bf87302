using Naeural.Ledger.Billing;
using Naeural.Ledger.Channels;
using Naeural.Ledger.Epochs;
using Naeural.Ledger.Replication;

namespace Naeural.Ledger;

/// <summary>
/// The ledger's part of the serializer allow-list (the Host adds it), split like the kernel's: what clients send and get,
/// what members exchange, what only journals hold, and what never leaves its process (on no list: refused both ways).
/// </summary>
public static class LedgerMessages
{
    /// <summary>What a client may send (signed ledger requests, vouchers, signed settles, reads) and what it gets back.</summary>
    public static IReadOnlyList<Type> Client { get; } =
    [
        typeof(Voucher), typeof(SignedVoucher), typeof(ChannelTerms), typeof(ChannelRecord),
        typeof(SignedLedgerRequest), typeof(LedgerDone), typeof(LedgerRefused),
        typeof(GetLedgerBalance), typeof(LedgerBalance), typeof(GetLedgerChannel), typeof(LedgerChannel),
        typeof(EpochResult), typeof(ObserverRegistry), typeof(EpochRewardRecord),
        typeof(GetLedgerObservers), typeof(LedgerObservers), typeof(GetLedgerEpochReward), typeof(LedgerEpochReward),
        typeof(PayWithVoucher), typeof(SettleChannel), typeof(GetChannelState),
        typeof(GetLedgerLicences), typeof(LedgerLicences),
        typeof(VoucherPaid), typeof(ChannelRefused), typeof(ChannelSettledAck), typeof(ChannelState),
        typeof(EpochReport), typeof(SignedAvailability), typeof(GetEpochReport), typeof(GetEpochClock), typeof(EpochClockReading),
        typeof(OwnerAccount), typeof(BillingOwners), // the answers of signed GET_ACCOUNT and GET_BILLING_OWNERS
    ];

    /// <summary>What members exchange: observers' signed availability tables and result signatures.</summary>
    public static IReadOnlyList<Type> Member { get; } =
    [
        typeof(EpochResultSigned), // (observers' signed tables travel too: SignedAvailability, on the client list inside EpochReport)
        typeof(WakeChannel), // billing wakes its channels after a restart: a stranger's wake only starts a watch
        // The embedded ledger's replicated journal: prepares and appends signed by the ledger's host, reads answered to it only.
        typeof(ReplicatedEntry), typeof(ReplicaPrepare), typeof(ReplicaPromised), typeof(ReplicaRefused), typeof(ReplicaAppend),
        typeof(ReplicaAppended), typeof(ReplicaBehind), typeof(ReplicaRead), typeof(ReplicaEntries),
    ];

    /// <summary>What only journals and snapshot stores hold.</summary>
    public static IReadOnlyList<Type> Stored { get; } =
    [
        typeof(LedgerNonceUsed), typeof(LedgerGateSnapshot),
        typeof(Minted), typeof(ChannelOpened), typeof(ChannelSettled), typeof(CloseRequested), typeof(ChannelReclaimed),
        typeof(RewardObserversSet), typeof(EpochRewardsFunded), typeof(EpochRewardClaimed), typeof(NodeLicenceGranted), typeof(NodeLicenceRevoked),
        typeof(ChannelTrackingStarted), typeof(VoucherAccepted), typeof(ChannelSettledOnBackend),
        typeof(EpochResultRecorded), typeof(EpochSignatureRecorded), typeof(EpochArchiveSnapshot),
        typeof(OwnerChannelBound),
    ];

    /// <summary>
    /// What never leaves its process: the ledger's raw requests (the gate hands them to its child after checking the
    /// signature; a stranger sending one straight to the child would otherwise mint, fund or claim), the payee's own
    /// channel tracking, and billing's unsigned reads.
    /// </summary>
    public static IReadOnlyList<Type> LocalOnly { get; } =
    [
        typeof(MintTokens), typeof(OpenChannel), typeof(SettleWithVoucher), typeof(RequestChannelClose), typeof(ReclaimDeposit),
        typeof(SetRewardObservers), typeof(FundEpochRewards), typeof(ClaimEpochReward), typeof(GrantNodeLicence), typeof(RevokeNodeLicence),
        typeof(TrackChannel), typeof(ChannelTracked), typeof(SettleNow),
        // Unsigned reads of an owner's account and of the owners a node bills: peers send signed reads (ReadActions).
        typeof(GetOwnerAccount), typeof(GetBillingOwners),
    ];

    /// <summary>Every type a node's serializer takes from the ledger: client, member and stored types.</summary>
    public static IReadOnlyList<Type> Types { get; } = [.. Client, .. Member, .. Stored];
}
