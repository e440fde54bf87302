using System.Collections.Immutable;

namespace Naeural.Actors.Network;

/// <summary>What kind of local work a <see cref="LocalWorkloadChanged"/> reports.</summary>
public enum WorkloadKind
{
    Models,
    Pipelines,
}

/// <summary>A local subsystem (model servers, pipelines) tells the publisher what it now runs; the heartbeat goes out at once.</summary>
public sealed record LocalWorkloadChanged(WorkloadKind Kind, ImmutableArray<string> Items);

/// <summary>Asks the publisher for the heartbeat it published last (null before the first).</summary>
public sealed record GetPublishedResources
{
    public static GetPublishedResources Instance { get; } = new();
}
