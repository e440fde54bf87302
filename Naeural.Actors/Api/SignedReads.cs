using Akka.Actor;
using Naeural.Actors.Commands;
using Naeural.Actors.Metering;
using Naeural.Actors.Pipelines;

namespace Naeural.Actors.Api;

/// <summary>
/// Where the front door hands a verified signed read: <see cref="Target"/> gets the local-only query <see cref="Query"/>
/// builds from it, and answers the reader. Each module registers its own reads (<see cref="KernelReads"/>, the ledger's billing).
/// </summary>
public sealed record SignedReader(IActorRef Target, Func<CommandEnvelope, object> Query);

/// <summary>The kernel's signed reads: work receipts and billed totals (the work meter), pipeline listings (the directory).</summary>
public static class KernelReads
{
    /// <summary>The most receipts one read answers.</summary>
    public const int MaxReceipts = 1000;

    public static IEnumerable<KeyValuePair<string, SignedReader>> For(IActorRef meter, IActorRef directory) =>
    [
        new(ReadActions.Receipts, new SignedReader(meter, read => new GetReceipts(read.Owner,
            ReadAccess.Number(read, ReadActions.AfterField, 0), (int)ReadAccess.Number(read, ReadActions.MaxField, 100, MaxReceipts)))),
        new(ReadActions.Billed, new SignedReader(meter, read => new GetBilled(read.Owner))),
        new(ReadActions.Pipelines, new SignedReader(directory, read => new GetPipelines(ReadAccess.WantsAll(read) ? null : read.Owner))),
    ];
}
