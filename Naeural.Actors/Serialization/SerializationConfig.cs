using System.Text;
using Akka.Configuration;

namespace Naeural.Actors.Serialization;

/// <summary>Builds the HOCON that installs <see cref="AllowListSerializer"/> for every type Akka doesn't already serialize itself.</summary>
public static class SerializationConfig
{
    /// <summary>Default cap on one serialized message: 4 MiB (remoting's frame is sized to fit it).</summary>
    public const long DefaultMaxMessageBytes = 4 * 1024 * 1024;

    /// <summary>
    /// The paths a peer may reach by actor selection (Akka's <c>untrusted-mode</c>, on for every Naeural system): the
    /// cluster's, distributed data's and distributed pub-sub's own daemons, and the singletons' managers. Untrusted mode
    /// also drops remote deployment and every possibly harmful message (<c>PoisonPill</c>, <c>Kill</c>) a peer sends.
    /// </summary>
    public static IReadOnlyList<string> InfrastructureSelectionPaths { get; } =
    [
        "/system/cluster/core/daemon", "/system/cluster/heartbeatReceiver", "/system/remote-watcher",
        "/system/ddataReplicator", "/user/ddataReplicator", "/system/sharding/replicator", "/system/distributedPubSubMediator",
    ];

    public static Config For(IEnumerable<Type> allowedTypes, long maxMessageBytes = DefaultMaxMessageBytes) =>
        For(allowedTypes, [], maxMessageBytes);

    /// <param name="allowedTypes">The types this system's serializer takes.</param>
    /// <param name="trustedSelectionPaths">Paths peers may select besides <see cref="InfrastructureSelectionPaths"/>.</param>
    /// <param name="maxMessageBytes">The cap on one serialized message.</param>
    public static Config For(IEnumerable<Type> allowedTypes, IEnumerable<string> trustedSelectionPaths, long maxMessageBytes = DefaultMaxMessageBytes) =>
        For(allowedTypes, trustedSelectionPaths, InfrastructureSelectionPaths, maxMessageBytes);

    /// <param name="allowedTypes">The types this system's serializer takes.</param>
    /// <param name="trustedSelectionPaths">Paths peers may select.</param>
    /// <param name="infrastructurePaths">Akka's own daemons peers may select (a system without cluster needs only the remote watcher).</param>
    /// <param name="maxMessageBytes">The cap on one serialized message.</param>
    public static Config For(IEnumerable<Type> allowedTypes, IEnumerable<string> trustedSelectionPaths, IEnumerable<string> infrastructurePaths, long maxMessageBytes)
    {
        var paths = string.Join(", ", infrastructurePaths.Concat(trustedSelectionPaths).Distinct().Select(p => "\"" + p + "\""));
        var refusing = $"{typeof(RefusingSerializer).FullName}, {typeof(RefusingSerializer).Assembly.GetName().Name}";
        var types = new StringBuilder();
        foreach (var type in allowedTypes.Distinct())
        {
            types.Append("      \"").Append(type.FullName).Append(", ").Append(type.Assembly.GetName().Name).AppendLine("\"");
        }

        var frame = maxMessageBytes + 64 * 1024;
        return ConfigurationFactory.ParseString($$"""
            akka.actor {
              # Akka's type-named JSON serializer would deserialize any type a peer names: replaced by one that refuses.
              serializers.json = "{{refusing}}"
              serialization-identifiers { "{{refusing}}" = {{RefusingSerializer.SerializerId}} }
              serializers.{{AllowListSerializer.Name}} = "{{typeof(AllowListSerializer).FullName}}, {{typeof(AllowListSerializer).Assembly.GetName().Name}}"
              serialization-bindings { "System.Object" = {{AllowListSerializer.Name}} }
              serialization-identifiers { "{{typeof(AllowListSerializer).FullName}}, {{typeof(AllowListSerializer).Assembly.GetName().Name}}" = {{AllowListSerializer.SerializerId}} }
              serialization-settings.{{AllowListSerializer.Name}} {
                max-message-size = {{maxMessageBytes}}b
                {{MessageAllowList.ConfigKey}} = [
            {{types}}    ]
              }
            }
            akka.remote.untrusted-mode = on
            akka.remote.trusted-selection-paths = [{{paths}}]
            akka.remote.dot-netty.tcp {
              maximum-frame-size = {{frame}}b
              send-buffer-size = {{Math.Max(frame, 256_000)}}b
              receive-buffer-size = {{Math.Max(frame, 256_000)}}b
            }
            """);
    }
}
