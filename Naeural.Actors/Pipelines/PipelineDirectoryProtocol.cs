using System.Collections.Immutable;

namespace Naeural.Actors.Pipelines;

/// <summary>One pipeline as the network lists it.</summary>
public sealed record PipelineSummary(
    string PipelineId,
    string Owner,
    string Name,
    string Type,
    PipelineStatus Status,
    long Version,
    string NodeId,
    int Instances,
    DateTimeOffset UpdatedAt);

/// <summary>Published on the local event stream by a pipeline entity whenever its summary changes.</summary>
public sealed record PipelineSummaryChanged(PipelineSummary Summary);

/// <summary>Published on the local event stream when a pipeline entity stops on this node (moved, passivated, node leaving).</summary>
public sealed record PipelineEntityStopped(string PipelineId);

/// <summary>Asks for the pipelines of the network (of one owner, or all when <see cref="Owner"/> is null).</summary>
public sealed record GetPipelines(string? Owner);

/// <summary>Answers <see cref="GetPipelines"/>, ordered by pipeline id.</summary>
public sealed record PipelineList(ImmutableArray<PipelineSummary> Pipelines);
