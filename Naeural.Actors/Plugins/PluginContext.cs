using System.Text.Json.Nodes;
using Naeural.Actors.Pipelines;

namespace Naeural.Actors.Plugins;

/// <summary>What a plugin sees of its instance: who it is, its config, and how to emit payloads and notifications.</summary>
public sealed class PluginContext
{
    private readonly List<JsonObject> _payloads = [];
    private readonly List<(string Code, string Message)> _notifications = [];

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

    /// <summary>The instance's current config (validated before it got here).</summary>
    public ConfigReader Config { get; internal set; }

    public TimeProvider Time { get; }

    /// <summary>Sends a payload to the pipeline's owner: signed, numbered and kept until acknowledged.</summary>
    public void Emit(JsonObject data) => _payloads.Add(data);

    /// <summary>Tells the pipeline's owner something (a warning, a state change) without a payload.</summary>
    public void Notify(string code, string message) => _notifications.Add((code, message));

    internal (IReadOnlyList<JsonObject> Payloads, IReadOnlyList<(string Code, string Message)> Notifications) TakeOutputs()
    {
        var result = (Payloads: (IReadOnlyList<JsonObject>)[.. _payloads], Notifications: (IReadOnlyList<(string, string)>)[.. _notifications]);
        _payloads.Clear();
        _notifications.Clear();
        return result;
    }
}
