namespace Naeural.Ledger.Epochs;

/// <summary>
/// Shared on <see cref="EpochSettings.Topic"/>: one observer's signature over the result it agreed for an epoch (carrying the
/// result, so a receiver counts the signature only for the same result).
/// </summary>
public sealed record EpochResultSigned(EpochResult Result, string Observer, string Signature);
