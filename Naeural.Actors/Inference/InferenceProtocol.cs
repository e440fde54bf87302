namespace Naeural.Actors.Inference;

/// <summary>
/// Where a node's inference service listens (Naeural.Inference provides it; the kernel only knows these messages, so it
/// stays free of TorchSharp).
/// </summary>
public static class InferenceEndpoint
{
    public const string Name = "inference";

    public const string Path = "/user/" + Name;
}

/// <summary>
/// One sample to run through a model. Requests with the same <see cref="ShareKey"/> waiting at the same time share one
/// inference (e.g. several plugin instances asking about the same window); null shares nothing. The answer carries
/// <see cref="CorrelationId"/> back. <see cref="Owner"/> and <see cref="PipelineId"/> say whom the work is for: the model
/// server reports it to the node's work meter (requests without an owner are not billed).
/// </summary>
public sealed record Infer(string Model, float[] Input, string? ShareKey = null, long CorrelationId = 0, string? Owner = null, string? PipelineId = null);

/// <summary>The model's output for one sample.</summary>
public sealed record InferenceResult(string Model, float[] Output, long CorrelationId = 0);

/// <summary>The inference could not run: unknown model, wrong input size, bad weights, or the worker failed.</summary>
public sealed record InferenceFailed(string Model, string Reason, long CorrelationId = 0);
