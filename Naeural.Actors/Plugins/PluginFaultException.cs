namespace Naeural.Actors.Plugins;

/// <summary>
/// Thrown by a plugin hook to report a failure under its own notification <see cref="Code"/> (e.g.
/// <c>CUSTOM_CODE_VIOLATION</c>) instead of <c>PLUGIN_ERROR</c>. Its instance treats it like any other throw: reported to the
/// owner as an error notification and backed off.
/// </summary>
public sealed class PluginFaultException(string code, string message) : Exception(message)
{
    public string Code { get; } = code;
}
