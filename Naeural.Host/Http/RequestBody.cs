using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Naeural.Actors.Commands;

namespace Naeural.Host.Http;

/// <summary>
/// Reads a signed request's body: at most the configured number of bytes (a larger declared length is refused before
/// anything is read, a longer body as soon as it passes the limit), UTF-8, one JSON object. The text is passed on exactly as
/// received: the actors it goes to check its signature, freshness and fields; this only gives a precise reason for bodies
/// that are not JSON at all.
/// </summary>
internal static class RequestBody
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The body's text, or null once an error (413, 400) has been answered.</summary>
    public static async Task<string?> ReadJsonObjectAsync(HttpContext context, int maxBytes)
    {
        if (context.Request.ContentLength > maxBytes)
        {
            await TooLargeAsync(context, $"body is {context.Request.ContentLength} bytes, over the {maxBytes}-byte limit");
            return null;
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = maxBytes;
        }

        byte[] bytes;
        try
        {
            using var buffer = new MemoryStream();
            var chunk = new byte[16 * 1024];
            int read;
            while ((read = await context.Request.Body.ReadAsync(chunk, context.RequestAborted)) > 0)
            {
                if (buffer.Length + read > maxBytes)
                {
                    await TooLargeAsync(context, $"body is over the {maxBytes}-byte limit");
                    return null;
                }

                buffer.Write(chunk, 0, read);
            }

            bytes = buffer.ToArray();
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            await TooLargeAsync(context, $"body is over the {maxBytes}-byte limit");
            return null;
        }

        string text;
        try
        {
            text = StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            await MalformedAsync(context, "body is not UTF-8 text");
            return null;
        }

        if (string.IsNullOrWhiteSpace(text))
        {
            await MalformedAsync(context, "body is empty: send the signed JSON object");
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(text);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                await MalformedAsync(context, $"body must be a JSON object, not {document.RootElement.ValueKind}");
                return null;
            }
        }
        catch (JsonException e)
        {
            await MalformedAsync(context, $"body is not valid JSON: {e.Message}");
            return null;
        }

        return text;
    }

    private static Task TooLargeAsync(HttpContext context, string reason)
    {
        context.Response.Headers.Connection = "close"; // the rest of the body is not read
        return JsonReplies.ErrorAsync(context, StatusCodes.Status413PayloadTooLarge, RejectionCodes.TooLarge, reason);
    }

    private static Task MalformedAsync(HttpContext context, string reason) =>
        JsonReplies.ErrorAsync(context, StatusCodes.Status400BadRequest, RejectionCodes.Malformed, reason);
}
