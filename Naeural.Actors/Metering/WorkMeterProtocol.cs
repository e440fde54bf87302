using System.Collections.Immutable;
using System.Numerics;
using Naeural.Actors.Serialization;

namespace Naeural.Actors.Metering;

/// <summary>
/// Where a node's <see cref="WorkMeter"/> listens. Work is reported to this well-known path (like the inference endpoint)
/// rather than on the event stream: billed work must reach one accountable consumer, and a missing meter shows up as dead
/// letters instead of work silently dropped.
/// </summary>
public static class WorkMeterEndpoint
{
    public const string Name = "work-meter";

    public const string Path = "/user/" + Name;
}

/// <summary>The kinds of work a node meters (one unit each).</summary>
public static class WorkKinds
{
    /// <summary>One frame processed by a plugin instance.</summary>
    public const string PluginFrame = "plugin-frame";

    /// <summary>One sample run through a model (a shared inference counts once, for the request that started it).</summary>
    public const string InferenceSample = "inference-sample";
}

/// <summary>Work done on this node for <see cref="Owner"/>: <see cref="Units"/> of <see cref="Kind"/> by <see cref="Source"/> (plugin instance or model).</summary>
[WireName("metering.work-done")]
public sealed record WorkDone(string Owner, string PipelineId, string Source, string Kind, long Units);

/// <summary>Closes the current period now instead of on the timer; answered with <see cref="WorkReceiptsIssuedAck"/>.</summary>
[WireName("metering.issue-receipts-now")]
public sealed record IssueReceiptsNow
{
    public static IssueReceiptsNow Instance { get; } = new();
}

/// <summary>Answers <see cref="IssueReceiptsNow"/>: how many receipts the period produced (0 when no work was pending).</summary>
[WireName("metering.work-receipts-issued-ack")]
public sealed record WorkReceiptsIssuedAck(int Count);

/// <summary>Asks for an owner's receipts after <see cref="AfterSequence"/>, oldest first, at most <see cref="Max"/>.</summary>
[WireName("metering.get-receipts")]
public sealed record GetReceipts(string Owner, long AfterSequence, int Max = 100);

/// <summary>Answers <see cref="GetReceipts"/>; <see cref="LastSequence"/> is the owner's newest receipt.</summary>
[WireName("metering.work-receipts")]
public sealed record WorkReceipts(string Owner, ImmutableArray<SignedWorkReceipt> Receipts, long LastSequence);

/// <summary>Asks what this node has billed an owner in total.</summary>
[WireName("metering.get-billed")]
public sealed record GetBilled(string Owner);

/// <summary>Answers <see cref="GetBilled"/>: the sum of the owner's receipts.</summary>
[WireName("metering.owner-billed")]
public sealed record OwnerBilled(string Owner, BigInteger Billed, long LastSequence);

/// <summary>Event: the receipts of one period, signed, one per owner with work in it.</summary>
[WireName("metering.work-receipts-issued")]
public sealed record WorkReceiptsIssued(ImmutableArray<SignedWorkReceipt> Receipts);

/// <summary>What the meter holds for one owner: the newest sequence number, the total billed, every receipt.</summary>
[WireName("metering.owner-receipts")]
public sealed record OwnerReceipts(long LastSequence, BigInteger Billed, ImmutableList<SignedWorkReceipt> Receipts)
{
    public static OwnerReceipts Empty { get; } = new(0, 0, []);
}

/// <summary>The meter's snapshot (owners keyed in lower case).</summary>
[WireName("metering.work-meter-snapshot")]
public sealed record WorkMeterSnapshot(ImmutableDictionary<string, OwnerReceipts> Owners);
