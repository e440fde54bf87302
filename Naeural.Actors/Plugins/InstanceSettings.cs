using Naeural.Actors.Pipelines;

namespace Naeural.Actors.Plugins;

/// <summary>The keys every plugin instance understands, whatever its plugin.</summary>
/// <param name="ProcessDelay"><c>PROCESS_DELAY</c>: seconds between two process calls; 0 processes each frame as it comes.</param>
/// <param name="AllowEmptyInputs"><c>ALLOW_EMPTY_INPUTS</c>: call process on schedule even when no frame arrived.</param>
/// <param name="MaxQueue"><c>MAX_INPUTS_QUEUE_SIZE</c>: frames waiting beyond this are dropped (oldest first), counted and reported.</param>
public sealed record InstanceSettings(TimeSpan ProcessDelay, bool AllowEmptyInputs, int MaxQueue)
{
    public const string ProcessDelayKey = "PROCESS_DELAY";
    public const string AllowEmptyInputsKey = "ALLOW_EMPTY_INPUTS";
    public const string MaxQueueKey = "MAX_INPUTS_QUEUE_SIZE";

    /// <summary>How often a plugin that allows empty inputs but has no <c>PROCESS_DELAY</c> is called.</summary>
    public static readonly TimeSpan DefaultEmptyInputsInterval = TimeSpan.FromSeconds(1);

    public static InstanceSettings Read(ConfigReader config) => new(
        TimeSpan.FromSeconds(config.Number(ProcessDelayKey, 0, min: 0, max: 3600)),
        config.Boolean(AllowEmptyInputsKey, false),
        config.Integer(MaxQueueKey, 1000, min: 1, max: 1_000_000));
}
