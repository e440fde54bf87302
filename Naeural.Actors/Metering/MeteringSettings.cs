namespace Naeural.Actors.Metering;

/// <summary>How a node meters work: one place, with defaults.</summary>
public sealed record MeteringSettings
{
    /// <summary>How often pending work becomes signed receipts (one per owner with work in the period).</summary>
    public TimeSpan ReceiptPeriod { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Events between two snapshots of the meter.</summary>
    public int SnapshotEvery { get; init; } = 100;

    /// <summary>The network receipts are signed for (<c>--network-id</c>).</summary>
    public string NetworkId { get; init; } = Security.NetworkIds.Default;
}
