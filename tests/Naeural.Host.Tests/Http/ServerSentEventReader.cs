using System.Text;

namespace Naeural.Host.Tests.Http;

/// <summary>One event of a <c>text/event-stream</c> response (comments are skipped).</summary>
public sealed record ReceivedEvent(string Name, string Data, string? Id);

/// <summary>Reads Server-Sent Events off a response stream, one at a time.</summary>
public sealed class ServerSentEventReader(Stream stream) : IDisposable
{
    private readonly StreamReader _reader = new(stream, Encoding.UTF8);

    /// <summary>The next event, or null when the stream ended.</summary>
    public async Task<ReceivedEvent?> NextAsync(CancellationToken cancellationToken)
    {
        string? name = null, id = null;
        var data = new StringBuilder();
        while (await _reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (line.Length == 0)
            {
                if (data.Length > 0)
                {
                    return new ReceivedEvent(name ?? "message", data.ToString(), id);
                }

                continue; // the end of a comment
            }

            if (line.StartsWith(':'))
            {
                continue;
            }

            var colon = line.IndexOf(':');
            var field = colon < 0 ? line : line[..colon];
            var value = colon < 0 ? "" : line[(colon + 1)..].TrimStart(' ');
            switch (field)
            {
                case "event":
                    name = value;
                    break;
                case "id":
                    id = value;
                    break;
                case "data":
                    data.Append(data.Length > 0 ? "\n" : "").Append(value);
                    break;
            }
        }

        return null;
    }

    public void Dispose() => _reader.Dispose();
}
