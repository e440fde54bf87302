using System.Text;
using Akka.Configuration;

namespace Naeural.Actors.Serialization;

/// <summary>Builds the HOCON that installs <see cref="AllowListSerializer"/> for every type Akka doesn't already serialize itself.</summary>
public static class SerializationConfig
{
    /// <summary>Default cap on one serialized message: 4 MiB (remoting's frame is sized to fit it).</summary>
    public const long DefaultMaxMessageBytes = 4 * 1024 * 1024;

    public static Config For(IEnumerable<Type> allowedTypes, long maxMessageBytes = DefaultMaxMessageBytes)
    {
        var types = new StringBuilder();
        foreach (var type in allowedTypes.Distinct())
        {
            types.Append("      \"").Append(type.FullName).Append(", ").Append(type.Assembly.GetName().Name).AppendLine("\"");
        }

        var frame = maxMessageBytes + 64 * 1024;
        return ConfigurationFactory.ParseString($$"""
            akka.actor {
              serializers.{{AllowListSerializer.Name}} = "{{typeof(AllowListSerializer).FullName}}, {{typeof(AllowListSerializer).Assembly.GetName().Name}}"
              serialization-bindings { "System.Object" = {{AllowListSerializer.Name}} }
              serialization-identifiers { "{{typeof(AllowListSerializer).FullName}}, {{typeof(AllowListSerializer).Assembly.GetName().Name}}" = {{AllowListSerializer.SerializerId}} }
              serialization-settings.{{AllowListSerializer.Name}} {
                max-message-size = {{maxMessageBytes}}b
                {{MessageAllowList.ConfigKey}} = [
            {{types}}    ]
              }
            }
            akka.remote.dot-netty.tcp {
              maximum-frame-size = {{frame}}b
              send-buffer-size = {{Math.Max(frame, 256_000)}}b
              receive-buffer-size = {{Math.Max(frame, 256_000)}}b
            }
            """);
    }
}
