using System.Globalization;
using System.Text.Json.Nodes;
using Naeural.Actors.Security;
using Naeural.Actors.Serialization;

namespace Naeural.Actors.Pipelines;

/// <summary>
/// A pipeline's summary as the directory replicates it: signed by the node it names as host (<see cref="PipelineSummary.NodeId"/>),
/// in the <see cref="NetworkIds.PipelineSummary"/> domain. A reader takes it only under its own pipeline id, only when the
/// pipeline id is its owner's, and only when the named host signed it: a member cannot make another node seem to host, stop
/// or archive a pipeline.
/// </summary>
[WireName("pipelines.signed-pipeline-summary")]
public sealed record SignedPipelineSummary(PipelineSummary Summary, string Signature)
{
    /// <summary>This node's signed summary (the summary must name it as host).</summary>
    public static SignedPipelineSummary Sign(PipelineSummary summary, IMessageSigner node, string network) =>
        new(summary, NetworkIds.PipelineSummary(network).Sign(Fields(summary), node));

    /// <summary>Null when the entry is good under <paramref name="key"/> on <paramref name="network"/>, else why not (never throws).</summary>
    public static string? Problem(string key, SignedPipelineSummary? entry, ISignatureVerifier verifier, string network)
    {
        if (entry?.Summary is not { } summary)
        {
            return "it carries no summary";
        }

        if (!string.Equals(summary.PipelineId, key, StringComparison.Ordinal))
        {
            return $"it is filed under {key} but summarises {summary.PipelineId}";
        }

        var slash = key.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || !AccountAddress.Same(key[..slash], summary.Owner))
        {
            return $"its owner {summary.Owner} does not own {key}";
        }

        return NodeIds.IsAddress(summary.NodeId)
            ? NetworkIds.PipelineSummary(network).Problem(Fields(summary), entry.Signature, summary.NodeId, verifier)
            : $"its host '{summary.NodeId}' is not a node id";
    }

    private static JsonObject Fields(PipelineSummary s) => new()
    {
        ["PIPELINE_ID"] = s.PipelineId,
        ["OWNER"] = s.Owner,
        ["NAME"] = s.Name,
        ["TYPE"] = s.Type,
        ["STATUS"] = s.Status.ToString(),
        ["VERSION"] = s.Version,
        ["NODE_ID"] = s.NodeId,
        ["INSTANCES"] = s.Instances,
        ["UPDATED_AT"] = s.UpdatedAt.UtcTicks.ToString(CultureInfo.InvariantCulture),
    };
}
