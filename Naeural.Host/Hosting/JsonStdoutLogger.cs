using System.Text.Json;
using Akka.Actor;
using Akka.Event;

namespace Naeural.Host.Hosting;

/// <summary>
/// Akka's stdout logger under <c>--log-format json</c>: what Akka logs while the node's loggers are not there (before they
/// start, and after they stop: "Remoting shut down" at every exit) comes out as one JSON object a line, in the shape of the
/// console's JSON formatter (<c>Timestamp</c>, <c>EventId</c>, <c>LogLevel</c>, <c>Category</c>, <c>Message</c>), not in
/// Akka's "[INFO][…]" text. Named by <c>akka.stdout-logger-class</c>.
/// </summary>
public sealed class JsonStdoutLogger : MinimalLogger
{
    /// <summary>The <c>Category</c> of its lines: the one Akka's events carry through the node's logger factory.</summary>
    public const string Category = "Akka.Actor.ActorSystem";

    /// <summary>One event as one JSON line.</summary>
    public static string Format(LogEvent log) => JsonSerializer.Serialize(new
    {
        Timestamp = log.Timestamp.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture),
        EventId = 0,
        LogLevel = log.LogLevel() switch
        {
            Akka.Event.LogLevel.DebugLevel => "Debug",
            Akka.Event.LogLevel.InfoLevel => "Information",
            Akka.Event.LogLevel.WarningLevel => "Warning",
            _ => "Error",
        },
        Category,
        Message = $"[{log.LogSource}] {log.Message}{(log.Cause is null ? "" : $" {log.Cause}")}",
    });

    protected override void Log(object message)
    {
        if (message is LogEvent log)
        {
            Console.Out.WriteLine(Format(log));
        }
    }
}
