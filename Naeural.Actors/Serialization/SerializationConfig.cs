using System.Text;
using Akka.Configuration;

namespace Naeural.Actors.Serialization;

/// <summary>Which format a node writes; it reads both.</summary>
public enum WireFormat
{
    /// <summary><see cref="ContractSerializer"/>: stable wire names, JSON fields (since 2026-12-07).</summary>
    Contract,

    /// <summary><see cref="HyperionV1Serializer"/>: what the release before wrote; for a network upgrading from it.</summary>
    V1,
}

/// <summary>
/// Builds the HOCON that installs the allow-list serializers for every type Akka doesn't already serialize itself: the
/// <see cref="WireFormat"/> a node writes bound to every type, the other registered for reading.
/// </summary>
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
    /// <param name="format">The format this system writes (it reads both).</param>
    public static Config For(
        IEnumerable<Type> allowedTypes, IEnumerable<string> trustedSelectionPaths, long maxMessageBytes = DefaultMaxMessageBytes,
        WireFormat format = WireFormat.Contract) =>
        For(allowedTypes, trustedSelectionPaths, InfrastructureSelectionPaths, maxMessageBytes, format);

    /// <param name="allowedTypes">The types this system's serializer takes.</param>
    /// <param name="trustedSelectionPaths">Paths peers may select.</param>
    /// <param name="infrastructurePaths">Akka's own daemons peers may select (a system without cluster needs only the remote watcher).</param>
    /// <param name="maxMessageBytes">The cap on one serialized message.</param>
    /// <param name="format">The format this system writes.</param>
    /// <param name="readsPreviousFormat">Whether it reads the previous format too (a node: its older journals and peers); the
    /// client edge, which has no journal, reads it only while it writes it.</param>
    public static Config For(
        IEnumerable<Type> allowedTypes, IEnumerable<string> trustedSelectionPaths, IEnumerable<string> infrastructurePaths, long maxMessageBytes,
        WireFormat format = WireFormat.Contract, bool readsPreviousFormat = true)
    {
        var paths = string.Join(", ", infrastructurePaths.Concat(trustedSelectionPaths).Distinct().Select(p => "\"" + p + "\""));
        var refusing = QualifiedName(typeof(RefusingSerializer));
        var contract = QualifiedName(typeof(ContractSerializer));
        var v1 = QualifiedName(typeof(HyperionV1Serializer));
        var types = new StringBuilder();
        foreach (var type in allowedTypes.Distinct())
        {
            types.Append("      \"").Append(type.FullName).Append(", ").Append(type.Assembly.GetName().Name).AppendLine("\"");
        }

        var settings = $$"""
            {
                max-message-size = {{maxMessageBytes}}b
                {{MessageAllowList.ConfigKey}} = [
            {{types}}    ]
              }
            """;
        var frame = maxMessageBytes + 64 * 1024;
        return ConfigurationFactory.ParseString($$"""
            akka.actor {
              # Akka's type-named JSON serializer would deserialize any type a peer names: replaced by one that refuses.
              serializers.json = "{{refusing}}"
              serialization-identifiers { "{{refusing}}" = {{RefusingSerializer.SerializerId}} }
              serializers.{{ContractSerializer.Name}} = "{{contract}}"
              {{(readsPreviousFormat || format == WireFormat.V1 ? $"serializers.{HyperionV1Serializer.Name} = \"{v1}\"" : "")}}
              serialization-bindings { "System.Object" = {{(format == WireFormat.V1 ? HyperionV1Serializer.Name : ContractSerializer.Name)}} }
              serialization-identifiers { "{{contract}}" = {{ContractSerializer.SerializerId}}, "{{v1}}" = {{HyperionV1Serializer.SerializerId}} }
              serialization-settings.{{ContractSerializer.Name}} {{settings}}
              serialization-settings.{{HyperionV1Serializer.Name}} {{settings}}
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

    private static string QualifiedName(Type type) => $"{type.FullName}, {type.Assembly.GetName().Name}";
}
