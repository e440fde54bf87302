using System.Collections.Immutable;
using Naeural.Actors.Serialization;

namespace Naeural.Actors.Pipelines;

/// <summary>One pipeline as the network lists it.</summary>
[WireName("pipelines.pipeline-summary")]
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
[WireName("pipelines.get-pipelines")]
public sealed record GetPipelines(string? Owner);

/// <summary>Answers <see cref="GetPipelines"/>, ordered by pipeline id.</summary>
[WireName("pipelines.pipeline-list")]
public sealed record PipelineList(ImmutableArray<PipelineSummary> Pipelines);

/// <summary>
/// Member to member: which pipelines of <see cref="Owner"/> (all when null) do you host? Answered with each one's summary
/// signed by the answering node, so a member can speak only for itself.
/// </summary>
[WireName("pipelines.list-hosted-pipelines")]
public sealed record ListHostedPipelines(string? Owner);

/// <summary>Answers <see cref="ListHostedPipelines"/>.</summary>
[WireName("pipelines.hosted-pipelines")]
public sealed record HostedPipelines(ImmutableArray<SignedPipelineSummary> Summaries);
