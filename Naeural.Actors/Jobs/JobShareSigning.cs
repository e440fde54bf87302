using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Naeural.Actors.Security;

namespace Naeural.Actors.Jobs;

/// <summary>
/// The signing domain of a worker's reports on a share (<see cref="ShareStarted"/>, <see cref="ShareCompleted"/>,
/// <see cref="ShareFailed"/>): canonical JSON in the <see cref="NetworkIds.JobShare"/> domain (<c>EE_NETWORK</c>,
/// <c>EE_TYPE</c> "naeural/job-share", <c>EE_VERSION</c> 1) with the report's
/// kind, the job id, the share index, the share's challenge (the secret its job sent only in that share's
/// <see cref="RunShare"/>), the SHA-256 of the report's content (the partial result, the failure's reason, or the worker's
/// member address) and the worker's node id, signed by the worker node's key. A report verifies only for the share, job,
/// network and node it names, and only while its job still holds that challenge; one kind never passes for another.
/// </summary>
public static class JobShareSigning
{
    public const string Started = "started";
    public const string Completed = "completed";
    public const string Failed = "failed";

    /// <summary>A fresh share challenge: 32 random hex digits.</summary>
    public static string NewChallenge() => RandomNumberGenerator.GetHexString(32, lowercase: true);

    /// <summary>True when <paramref name="challenge"/> has a challenge's form (a worker signs nothing else).</summary>
    public static bool IsChallenge(string? challenge) => challenge is { Length: 32 } && challenge.All(char.IsAsciiHexDigit);

    /// <summary>This node's signed report that it runs (or ran) share <paramref name="run"/>, at <paramref name="address"/>.</summary>
    public static ShareStarted SignStarted(RunShare run, string address, IMessageSigner node, string network) =>
        new(run.JobId, run.Index, node.Address, address, Sign(Started, run, address, node, network));

    /// <summary>This node's signed partial result for <paramref name="run"/>.</summary>
    public static ShareCompleted SignCompleted(RunShare run, string partialJson, IMessageSigner node, string network) =>
        new(run.JobId, run.Index, partialJson, node.Address, Sign(Completed, run, partialJson, node, network));

    /// <summary>This node's signed failure of <paramref name="run"/>.</summary>
    public static ShareFailed SignFailed(RunShare run, string reason, IMessageSigner node, string network) =>
        new(run.JobId, run.Index, reason, node.Address, Sign(Failed, run, reason, node, network));

    /// <summary>Null when <paramref name="report"/> was signed by the key of the node it names, for <paramref name="challenge"/>; else why not.</summary>
    public static string? Problem(object report, string challenge, ISignatureVerifier verifier, string network)
    {
        var (kind, jobId, index, content, nodeId, signature) = report switch
        {
            ShareStarted s => (Started, s.JobId, s.Index, s.Address, s.NodeId, s.Signature),
            ShareCompleted c => (Completed, c.JobId, c.Index, c.PartialJson, c.NodeId, c.Signature),
            ShareFailed f => (Failed, f.JobId, f.Index, f.Reason, f.NodeId, f.Signature),
            _ => throw new ArgumentException($"{report.GetType().Name} is not a share report", nameof(report)),
        };
        if (!NodeIds.IsAddress(nodeId))
        {
            return $"NodeId '{nodeId}' is not a node address";
        }

        if (string.IsNullOrEmpty(signature) || content is null)
        {
            return "it is not signed";
        }

        try
        {
            return verifier.Verify(Bytes(kind, jobId, index, challenge, content, nodeId, network), signature, nodeId)
                ? null
                : $"its Signature is not {nodeId}'s for this share's challenge on network '{network}'";
        }
        catch (Exception e) when (e is FormatException or ArgumentException)
        {
            return $"its Signature is malformed: {e.Message}";
        }
    }

    /// <summary>The canonical bytes a report's signature is over.</summary>
    public static byte[] Bytes(string kind, string jobId, int index, string challenge, string content, string nodeId, string network) =>
        NetworkIds.JobShare(network).Bytes(new JsonObject
        {
            ["REPORT"] = kind,
            ["JOB_ID"] = jobId,
            ["INDEX"] = index,
            ["CHALLENGE"] = challenge,
            ["CONTENT_SHA256"] = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(content))),
            ["NODE_ID"] = nodeId,
        });

    private static string Sign(string kind, RunShare run, string content, IMessageSigner node, string network) =>
        node.Sign(Bytes(kind, run.JobId, run.Index, run.Challenge, content, node.Address, network)).Signature;
}
