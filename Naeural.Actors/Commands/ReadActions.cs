namespace Naeural.Actors.Commands;

/// <summary>
/// The actions of signed reads: what belongs to an owner (or to this node's operator) is read only with a
/// <see cref="SignedCommand"/> carrying one of these, checked like any command (signature, network, freshness, a nonce used
/// once) and answered only to its owner or the node's operator (<see cref="ReadAccess"/>). <c>PIPELINE</c> is optional;
/// <c>OWNER</c> (default: the signer) names whose data is read; <c>PAYLOAD.NODE</c> names the node asked (a read is answered
/// only by that node, so a read one node saw can't be replayed at the others). The network view, the ledger and epoch
/// reports stay public.
/// </summary>
public static class ReadActions
{
    /// <summary>The owner's work receipts from this node; <c>PAYLOAD</c>: optional <c>AFTER</c> (sequence) and <c>MAX</c>.</summary>
    public const string Receipts = "GET_RECEIPTS";

    /// <summary>What this node has billed the owner in total.</summary>
    public const string Billed = "GET_BILLED";

    /// <summary>The owner's billing account on this node: billed, collected by its channels, arrears.</summary>
    public const string Account = "GET_ACCOUNT";

    /// <summary>Every owner paying this node, with its channels: the operator's only.</summary>
    public const string BillingOwners = "GET_BILLING_OWNERS";

    /// <summary>The owner's pipelines as the network lists them; <c>PAYLOAD</c> <c>{"ALL": true}</c>: everyone's, the operator's only.</summary>
    public const string Pipelines = "GET_PIPELINES";

    public const string AfterField = "AFTER";
    public const string MaxField = "MAX";
    public const string AllField = "ALL";

    /// <summary>The node id the read is signed for (required): only that node answers it.</summary>
    public const string NodeField = "NODE";

    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal)
    {
        Receipts, Billed, Account, BillingOwners, Pipelines,
    };
}
