using System.Text.Json.Nodes;
using Naeural.Actors.Pipelines;

namespace Naeural.Actors.Plugins;

/// <summary>What a plugin sees of its instance: who it is, its config, and how to emit payloads and notifications.</summary>
public sealed class PluginContext
{
    private readonly List<JsonObject> _payloads = [];
    private readonly List<(string Code, string Message)> _notifications = [];
    private readonly List<InferenceRequest> _inferences = [];

    public PluginContext(string pipelineName, string signature, string instanceId, JsonObject config, TimeProvider time)
    {
        PipelineName = pipelineName;
        Signature = signature;
        InstanceId = instanceId;
        Config = new ConfigReader(config, instanceId);
        Time = time;
    }

    public string PipelineName { get; }

    public string Signature { get; }

    public string InstanceId { get; }

    /// <summary>The pipeline's owner (its address): whose quota a plugin's work counts against; empty when not known.</summary>
    public string Owner { get; init; } = "";

    /// <summary>The instance's current config (validated before it got here).</summary>
    public ConfigReader Config { get; internal set; }

    public TimeProvider Time { get; }

    /// <summary>The models this node serves.</summary>
    public Inference.ServedModels Models { get; init; } = Inference.ServedModels.None;

    /// <summary>The model this node serves as <paramref name="model"/> (its sample shape, output size and labels), or null.</summary>
    public Inference.ServedModel? ModelOf(string model) => Models.Find(model);

    /// <summary>Sends a payload to the pipeline's owner: signed, numbered and kept until acknowledged.</summary>
    public void Emit(JsonObject data) => _payloads.Add(data);

    /// <summary>
    /// Asks the node's model server for <paramref name="model"/> (the original's <c>AI_ENGINE</c>) to run one sample; the answer
    /// comes back through <see cref="IBusinessPlugin.OnInferenceResult"/> with <paramref name="tag"/>. Requests from every pipeline
    /// on the node are batched together; ones with the same <paramref name="shareKey"/> waiting together share one inference.
    /// </summary>
    public void Infer(string model, float[] input, string tag, string? shareKey = null) => _inferences.Add(new InferenceRequest(model, input, tag, shareKey));

    /// <summary>Tells the pipeline's owner something (a warning, a state change) without a payload.</summary>
    public void Notify(string code, string message) => _notifications.Add((code, message));

    internal (IReadOnlyList<JsonObject> Payloads, IReadOnlyList<(string Code, string Message)> Notifications, IReadOnlyList<InferenceRequest> Inferences) TakeOutputs()
    {
        var result = ((IReadOnlyList<JsonObject>)[.. _payloads], (IReadOnlyList<(string, string)>)[.. _notifications], (IReadOnlyList<InferenceRequest>)[.. _inferences]);
        _payloads.Clear();
        _notifications.Clear();
        _inferences.Clear();
        return result;
    }
}

/// <summary>An inference a plugin asked for during a hook.</summary>
internal sealed record InferenceRequest(string Model, float[] Input, string Tag, string? ShareKey);
