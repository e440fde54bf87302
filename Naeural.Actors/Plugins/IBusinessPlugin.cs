using System.Text.Json.Nodes;
using Naeural.Actors.Capture;
using Naeural.Actors.Pipelines;

namespace Naeural.Actors.Plugins;

/// <summary>
/// A business plugin: the code a plugin instance runs on the frames its pipeline captures. One object per instance,
/// called from its <see cref="PluginInstanceEntity"/> only (never concurrently). Emit payloads and notifications through
/// the context; a throw from any hook is caught, counted, reported, and backed off.
/// </summary>
public interface IBusinessPlugin
{
    /// <summary>Called once, before the first <see cref="Process"/>, with the instance's config in the context.</summary>
    void Init(PluginContext context)
    {
    }

    /// <summary>
    /// Processes the frames that arrived since the last call (one per call when <c>PROCESS_DELAY</c> is 0; empty when
    /// <c>ALLOW_EMPTY_INPUTS</c> is on and nothing arrived).
    /// </summary>
    void Process(IReadOnlyList<Frame> frames, PluginContext context);

    /// <summary>The instance's config changed (<c>UPDATE_CONFIG</c> or <c>UPDATE_PIPELINE_INSTANCE</c>); the context holds the new one.</summary>
    void OnConfigChanged(PluginContext context)
    {
    }

    /// <summary>An <c>INSTANCE_COMMAND</c> from the pipeline's owner.</summary>
    void OnCommand(JsonNode? command, PluginContext context)
    {
    }

    /// <summary>The answer to <see cref="PluginContext.Infer"/>: the model's output for the sample sent with <paramref name="tag"/>.</summary>
    void OnInferenceResult(string tag, float[] output, PluginContext context)
    {
    }

    /// <summary>An inference this plugin asked for could not run (unknown model, bad input, no answer in time).</summary>
    void OnInferenceFailed(string tag, string reason, PluginContext context) =>
        context.Notify("INFERENCE_FAILED", $"inference {tag} failed: {reason}");

    /// <summary>The instance stops (removed, pipeline stopped or archived).</summary>
    void Close(PluginContext context)
    {
    }
}

/// <summary>
/// A plugin whose processing runs off its instance's actor thread (custom code on its own thread): the instance starts a
/// step with <see cref="ProcessAsync"/>, keeps its dispatcher thread free while it runs (frames queue, other messages wait),
/// and runs the step's completion on its own thread, in order, before the next step starts.
/// </summary>
public interface IAsyncProcessPlugin : IBusinessPlugin
{
    /// <summary>
    /// Starts processing <paramref name="frames"/>; may throw at once (a step refused before it starts). The task completes
    /// with what finishes the step on the instance's thread: it hands payloads and notifications to the context, or throws
    /// the step's failure. Nothing else is called on the plugin until that completion has run.
    /// </summary>
    Task<Action<PluginContext>> ProcessAsync(IReadOnlyList<Frame> frames, PluginContext context);
}

/// <summary>What a plugin class declares about itself, so the catalogue can find it by <c>SIGNATURE</c> and validate its config.</summary>
public interface IPluginDefinition
{
    static abstract string Signature { get; }

    static abstract string Description { get; }

    /// <summary>Checks the plugin's own config keys; report problems with <see cref="ConfigReader.Error"/> or the typed getters.</summary>
    static abstract void Validate(ConfigReader config);
}
