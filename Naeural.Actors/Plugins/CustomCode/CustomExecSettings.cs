using System.Text;
using Naeural.Actors.Pipelines;

namespace Naeural.Actors.Plugins.CustomCode;

/// <summary>
/// The keys of a <c>CUSTOM_EXEC</c> instance: the code (<c>CODE</c>, or <c>B64CODE</c>: the same, base64 UTF-8, as the original
/// sends it) and its bounds per process step: <c>MAX_EXEC_MS</c>, <c>MAX_ALLOC_MB</c> (bytes its thread allocates) and
/// <c>MAX_STATE_KB</c> (the size of <c>state</c> after the step).
/// </summary>
public sealed record CustomExecSettings(string CodeKey, string Code, int MaxExecMs, int MaxAllocMb, int MaxStateKb)
{
    public const string CodeKeyName = "CODE";
    public const string Base64CodeKey = "B64CODE";
    public const string MaxExecMsKey = "MAX_EXEC_MS";
    public const string MaxAllocMbKey = "MAX_ALLOC_MB";

    /// <summary>
    /// The highest <c>MAX_ALLOC_MB</c>: one allowed library call (a split, a concatenation) may briefly allocate several times
    /// the bound before the next check stops it, so the bound itself stays small.
    /// </summary>
    public const int MaxAllocMbCeiling = 128;
    public const string MaxStateKbKey = "MAX_STATE_KB";

    /// <summary>What the payloads of one step may add up to (estimated JSON size).</summary>
    public const int MaxPayloadBytesPerStep = 1024 * 1024;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>How long the instance waits for a step before giving up on it: the bound, plus the bound again (at least 100 ms).</summary>
    public TimeSpan HardLimit => TimeSpan.FromMilliseconds(MaxExecMs + Math.Max(100, MaxExecMs));

    /// <summary>Reads the keys, reporting problems to <paramref name="config"/>; null when there is no usable code.</summary>
    public static CustomExecSettings? Read(ConfigReader config)
    {
        var maxExecMs = config.Integer(MaxExecMsKey, 50, min: 1, max: 5_000);
        var maxAllocMb = config.Integer(MaxAllocMbKey, 32, min: 1, max: MaxAllocMbCeiling);
        var maxStateKb = config.Integer(MaxStateKbKey, 256, min: 1, max: 65_536);
        var hasCode = config.Has(CodeKeyName);
        var hasBase64 = config.Has(Base64CodeKey);
        if (hasCode && hasBase64)
        {
            config.Error(Base64CodeKey, $"give {CodeKeyName} or {Base64CodeKey}, not both");
            return null;
        }

        if (!hasBase64)
        {
            var code = config.String(CodeKeyName, required: true);
            return code is null ? null : new CustomExecSettings(CodeKeyName, code, maxExecMs, maxAllocMb, maxStateKb);
        }

        var base64 = config.String(Base64CodeKey);
        if (base64 is null)
        {
            return null;
        }

        try
        {
            return new CustomExecSettings(Base64CodeKey, StrictUtf8.GetString(Convert.FromBase64String(base64)), maxExecMs, maxAllocMb, maxStateKb);
        }
        catch (FormatException)
        {
            config.Error(Base64CodeKey, "is not valid base64");
        }
        catch (DecoderFallbackException)
        {
            config.Error(Base64CodeKey, "is not UTF-8 text");
        }

        return null;
    }

    /// <summary>Validates the keys and compiles the code: every refusal becomes an error on the code's key (<c>CODE: 3:9: ...</c>).</summary>
    public static void Validate(ConfigReader config, CustomCodeCompiler compiler)
    {
        var settings = Read(config);
        if (settings is null)
        {
            return;
        }

        foreach (var error in compiler.Compile(settings.Code).Errors)
        {
            config.Error(settings.CodeKey, error);
        }
    }
}
