using System.Text.Json;
using System.Text.Json.Nodes;
using Naeural.Actors.Jobs;
using Naeural.Actors.Security;

namespace Naeural.Actors.Commands;

/// <summary>A command whose signature has been verified and whose fields are well-formed.</summary>
/// <param name="PipelineId">The pipeline (or, for a job action, the job) entity it addresses: <c>{owner}/{name}</c>, owner lower-case.</param>
public sealed record CommandEnvelope(
    string Action,
    string PipelineName,
    string Owner,
    string Signer,
    JsonNode? Payload,
    string Nonce,
    long TimeMs,
    string PipelineId)
{
    /// <summary>The signer's public key (0x-hex, 65 bytes uncompressed), when the verifier recovers keys.</summary>
    public string? SignerPublicKey { get; init; }

    public static string PipelineIdOf(string owner, string name) => $"{owner.ToLowerInvariant()}/{name}";

    private static readonly long MinTimeMs = DateTimeOffset.MinValue.ToUnixTimeMilliseconds();
    private static readonly long MaxTimeMs = DateTimeOffset.MaxValue.ToUnixTimeMilliseconds();

    /// <summary>Reads the routing fields without checking the signature (what the front door needs to route it).</summary>
    public static bool TryPeek(SignedCommand command, out string pipelineId, out string action) =>
        TryPeek(command, out pipelineId, out action, out _);

    /// <summary>Reads the routing fields and the claimed sender (<c>EE_SENDER</c>, not yet verified).</summary>
    public static bool TryPeek(SignedCommand command, out string pipelineId, out string action, out string? sender)
    {
        pipelineId = action = "";
        sender = null;
        try
        {
            if (command.Json is null || JsonNode.Parse(command.Json, documentOptions: new JsonDocumentOptions { MaxDepth = 32, AllowDuplicateProperties = false }) is not JsonObject json)
            {
                return false;
            }

            action = Text(json, SignedCommand.ActionField) ?? "";
            var name = Text(json, SignedCommand.PipelineField) ?? (ReadActions.All.Contains(action) ? "" : null);
            var owner = Text(json, SignedCommand.OwnerField) ?? Text(json, SignedJson.SenderField);
            sender = Text(json, SignedJson.SenderField);
            if (name is null || owner is null)
            {
                return false;
            }

            pipelineId = PipelineIdOf(owner, name);
            return true;
        }
        catch (Exception e) when (e is JsonException or ArgumentException or InvalidOperationException or FormatException)
        {
            return false;
        }
    }

    /// <summary>Verifies the signature, the network (<paramref name="network"/>'s command domain) and freshness and parses the fields; a rejection says why.</summary>
    public static CommandEnvelope Open(SignedCommand command, ISignatureVerifier verifier, string network, DateTimeOffset now, TimeSpan freshness, int maxBytes)
    {
        if (command.Json is null)
        {
            throw new CommandRejectedException(RejectionCodes.Malformed, "command has no text");
        }

        if (command.Json.Length > maxBytes)
        {
            throw new CommandRejectedException(RejectionCodes.TooLarge, $"command is {command.Json.Length} bytes, over the {maxBytes}-byte limit");
        }

        JsonObject json;
        try
        {
            json = JsonNode.Parse(command.Json, documentOptions: new JsonDocumentOptions { MaxDepth = 32, AllowDuplicateProperties = false }) as JsonObject
                   ?? throw new CommandRejectedException(RejectionCodes.Malformed, "command must be a JSON object");
            _ = json.Count; // duplicate keys surface here, not later
        }
        catch (Exception e) when (e is JsonException or ArgumentException or InvalidOperationException)
        {
            throw new CommandRejectedException(RejectionCodes.Malformed, $"command is not valid JSON: {e.Message}");
        }

        var check = SignedJson.Verify(json, verifier);
        if (!check.IsValid)
        {
            throw new CommandRejectedException(RejectionCodes.BadSignature, check.Error!);
        }

        if (NetworkIds.Command(network).Mismatch(json) is { } mismatch)
        {
            throw new CommandRejectedException(mismatch.Code == SignedDomain.WrongNetwork ? RejectionCodes.WrongNetwork : RejectionCodes.Malformed, mismatch.Reason);
        }

        var action = Text(json, SignedCommand.ActionField);
        if (action is null || !(PipelineActions.All.Contains(action) || JobActions.All.Contains(action) || ReadActions.All.Contains(action)))
        {
            throw new CommandRejectedException(RejectionCodes.UnknownAction,
                $"{SignedCommand.ActionField} must be one of {string.Join(", ", PipelineActions.All.Concat(JobActions.All).Concat(ReadActions.All))}");
        }

        // A read names no pipeline.
        var name = Text(json, SignedCommand.PipelineField) ?? (ReadActions.All.Contains(action) ? "" : null)
                   ?? throw new CommandRejectedException(RejectionCodes.Malformed, $"{SignedCommand.PipelineField} is required");
        var nonce = Text(json, SignedCommand.NonceField);
        if (nonce is null || nonce.Length is < 8 or > 128)
        {
            throw new CommandRejectedException(RejectionCodes.Malformed, $"{SignedCommand.NonceField} is required (8-128 characters)");
        }

        if (json[SignedCommand.TimeField] is not JsonValue timeValue || !timeValue.TryGetValue<long>(out var time))
        {
            throw new CommandRejectedException(RejectionCodes.Malformed, $"{SignedCommand.TimeField} (Unix milliseconds) is required");
        }

        if (time < MinTimeMs || time > MaxTimeMs)
        {
            throw new CommandRejectedException(RejectionCodes.Stale, $"{SignedCommand.TimeField} {time} is not a Unix time in milliseconds");
        }

        var age = now - DateTimeOffset.FromUnixTimeMilliseconds(time);
        if (age > freshness || age < -freshness)
        {
            throw new CommandRejectedException(RejectionCodes.Stale,
                $"command {SignedCommand.TimeField} is {age.TotalSeconds:0} s from this node's clock; the window is ±{freshness.TotalSeconds:0} s");
        }

        var owner = Text(json, SignedCommand.OwnerField) ?? check.Signer!;
        return new CommandEnvelope(action, name, owner.ToLowerInvariant(), check.Signer!, json[SignedCommand.PayloadField]?.DeepClone(),
            nonce, time, PipelineIdOf(owner, name))
        {
            SignerPublicKey = check.SignerPublicKey,
        };
    }

    private static string? Text(JsonObject json, string key) =>
        json[key] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
}
