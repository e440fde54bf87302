using System.Globalization;
using System.Numerics;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http;
using Naeural.Actors.Commands;
using Naeural.Ledger.Channels;

namespace Naeural.Host.Http;

/// <summary>
/// How the HTTP layer answers: JSON always. Signed-protocol answers (commands, ledger requests, errors) carry the original's
/// upper-case fields, at least <c>CODE</c> and <c>REASON</c>; read endpoints return the actor API's records in camelCase,
/// big integers as decimal strings.
/// </summary>
internal static class JsonReplies
{
    public const string CodeField = "CODE";
    public const string ReasonField = "REASON";

    /// <summary>Codes the HTTP layer answers itself (besides the node's <see cref="RejectionCodes"/>).</summary>
    public const string NotFound = "NOT_FOUND";
    public const string MethodNotAllowed = "METHOD_NOT_ALLOWED";
    public const string Timeout = "TIMEOUT";
    public const string Internal = "INTERNAL";
    public const string Refused = "REFUSED";
    public const string Ok = "OK";

    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, // answers are application/json (nosniff), never embedded in HTML
        Converters = { new BigIntegerAsString(), new JsonStringEnumConverter() },
    };

    public static Task WriteAsync(HttpContext context, int status, object body)
    {
        context.Response.StatusCode = status;
        context.Response.Headers.CacheControl = "no-store";
        return context.Response.WriteAsJsonAsync(body, Options, context.RequestAborted);
    }

    public static Task ErrorAsync(HttpContext context, int status, string code, string reason) =>
        WriteAsync(context, status, new JsonObject { [CodeField] = code, [ReasonField] = reason });

    /// <summary>The HTTP status of a command the node refused: the caller's fault in 4xx, the node's time-out in 504.</summary>
    public static int StatusOfCommand(string code) => code switch
    {
        RejectionCodes.Malformed or RejectionCodes.InvalidSpec or RejectionCodes.UnknownAction or RejectionCodes.UnknownJobPlugin => StatusCodes.Status400BadRequest,
        RejectionCodes.BadSignature or RejectionCodes.Stale => StatusCodes.Status401Unauthorized,
        RejectionCodes.NotOwner or RejectionCodes.NotAllowed => StatusCodes.Status403Forbidden,
        RejectionCodes.Replayed or RejectionCodes.AlreadyExists or RejectionCodes.Archived => StatusCodes.Status409Conflict,
        RejectionCodes.TooLarge => StatusCodes.Status413PayloadTooLarge,
        RejectionCodes.Timeout => StatusCodes.Status504GatewayTimeout,
        _ when code.StartsWith("UNKNOWN_", StringComparison.Ordinal) => StatusCodes.Status404NotFound,
        _ => StatusCodes.Status422UnprocessableEntity,
    };

    /// <summary>
    /// A ledger refusal's code and status: the gate's own refusals are <c>CODE: reason</c>; anything else is the ledger's rules
    /// refusing the operation (unknown channel, over the deposit, …): 422 <see cref="Refused"/>.
    /// </summary>
    public static (int Status, string Code, string Reason) LedgerRefusal(LedgerRefused refused)
    {
        var colon = refused.Reason.IndexOf(':', StringComparison.Ordinal);
        var code = colon > 0 ? refused.Reason[..colon] : "";
        var reason = colon > 0 ? refused.Reason[(colon + 1)..].Trim() : refused.Reason;
        return code switch
        {
            LedgerRequests.Malformed or LedgerRequests.Unsigned => (StatusCodes.Status400BadRequest, code, reason),
            LedgerRequests.BadSignature or LedgerRequests.Stale => (StatusCodes.Status401Unauthorized, code, reason),
            LedgerRequests.NotAuthorised => (StatusCodes.Status403Forbidden, code, reason),
            LedgerRequests.Replayed => (StatusCodes.Status409Conflict, code, reason),
            _ => (StatusCodes.Status422UnprocessableEntity, Refused, refused.Reason),
        };
    }

    private sealed class BigIntegerAsString : JsonConverter<BigInteger>
    {
        public override BigInteger Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            BigInteger.Parse(reader.TokenType == JsonTokenType.String ? reader.GetString()! : reader.GetInt64().ToString(CultureInfo.InvariantCulture),
                CultureInfo.InvariantCulture);

        public override void Write(Utf8JsonWriter writer, BigInteger value, JsonSerializerOptions options) =>
            writer.WriteStringValue(value.ToString(CultureInfo.InvariantCulture));
    }
}
