using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Naeural.Actors.Plugins.CustomCode;

/// <summary>
/// What custom code can do besides computing: <c>plugin</c> in the code (the original's <c>plugin.</c> prefix). Emitted
/// payloads and notifications go out when the step ends within its bounds; a step that breaks one emits nothing.
/// </summary>
public sealed partial class CustomCodeApi
{
    /// <summary>Payloads one process step may emit (returned objects included).</summary>
    public const int MaxPayloadsPerStep = 256;

    /// <summary>Notifications one process step may send.</summary>
    public const int MaxNotificationsPerStep = 16;

    /// <summary>The code of <see cref="Notify(string)"/>.</summary>
    public const string DefaultNotificationCode = "CUSTOM_CODE_NOTICE";

    private const int MaxMessageLength = 1000;
    private readonly CustomCodeBudget _budget;
    private readonly TimeProvider _time;
    private readonly List<JsonObject> _payloads = [];
    private readonly List<(string Code, string Message)> _notifications = [];

    internal CustomCodeApi(CustomCodeBudget budget, TimeProvider time, string pipelineName, string signature, string instanceId)
    {
        _budget = budget;
        _time = time;
        PipelineName = pipelineName;
        Signature = signature;
        InstanceId = instanceId;
    }

    public string PipelineName { get; }

    public string Signature { get; }

    public string InstanceId { get; }

    /// <summary>How many times the code ran before this run on this instance (0 on the first).</summary>
    public long Calls { get; internal set; }

    /// <summary>The node's clock, in Unix milliseconds.</summary>
    public long Now => _time.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>Sends <paramref name="payload"/> to the pipeline's owner (as <c>return payload;</c> does).</summary>
    public void Emit(JsonObject payload)
    {
        ArgumentNullException.ThrowIfNull(payload);
        if (_payloads.Count >= MaxPayloadsPerStep)
        {
            _budget.Fail(0, 0, $"emitted more than {MaxPayloadsPerStep} payloads in one step");
        }

        _payloads.Add(payload);
    }

    /// <summary>Tells the owner something without a payload, under <see cref="DefaultNotificationCode"/>.</summary>
    public void Notify(string message) => Notify(DefaultNotificationCode, message);

    /// <summary>Tells the owner something under <paramref name="code"/> (1-32 of A-Z, 0-9, _); long messages are cut at 1000 characters.</summary>
    public void Notify(string code, string message)
    {
        ArgumentNullException.ThrowIfNull(code);
        ArgumentNullException.ThrowIfNull(message);
        if (!NotificationCode().IsMatch(code))
        {
            throw new ArgumentException($"notification code '{(code.Length > 40 ? code[..40] + "..." : code)}' must be 1-32 of A-Z, 0-9 and _");
        }

        if (_notifications.Count >= MaxNotificationsPerStep)
        {
            _budget.Fail(0, 0, $"sent more than {MaxNotificationsPerStep} notifications in one step");
        }

        _notifications.Add((code, message.Length > MaxMessageLength ? message[..MaxMessageLength] : message));
    }

    internal IReadOnlyList<JsonObject> Payloads => _payloads;

    internal IReadOnlyList<(string Code, string Message)> Notifications => _notifications;

    internal void Clear()
    {
        _payloads.Clear();
        _notifications.Clear();
    }

    [GeneratedRegex("^[A-Z0-9_]{1,32}$")]
    private static partial Regex NotificationCode();
}
