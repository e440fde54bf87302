using System.Runtime.Serialization;
using Akka.Actor;
using Akka.Configuration;
using Akka.Event;
using Akka.Serialization;
using Naeural.Actors.Telemetry;

namespace Naeural.Actors.Serialization;

/// <summary>
/// What every Naeural serializer guards, whatever its format: only the types of the <see cref="MessageAllowList"/>, named
/// by their declared <see cref="WireNameAttribute"/>, and only up to a size limit. Nodes don't trust each other: anything
/// else is refused on the way out and on the way in, published as <see cref="MessageRefused"/> and logged; the association
/// and the rest of the traffic carry on. <see cref="ContractSerializer"/> is the format nodes write;
/// <see cref="HyperionV1Serializer"/> reads what the release before it wrote.
/// </summary>
public abstract class AllowListSerializer : SerializerWithStringManifest
{
    private readonly long _maxMessageBytes;
    private ILoggingAdapter? _log; // created on first use: the actor system isn't ready while serializers are built
    private NodeMetrics? _metrics; // likewise

    protected AllowListSerializer(ExtendedActorSystem system, Config config)
        : base(system)
    {
        AllowList = MessageAllowList.FromConfig(config);
        _maxMessageBytes = config.GetByteSize("max-message-size", null) ?? SerializationConfig.DefaultMaxMessageBytes;
    }

    public MessageAllowList AllowList { get; }

    public override string Manifest(object o) =>
        AllowList.TryGetManifest(o.GetType(), out var manifest)
            ? manifest
            : throw Refuse(o.GetType().FullName ?? o.GetType().Name, RefusalSide.Outbound, "type is not on the serializer allow-list");

    public sealed override byte[] ToBinary(object obj)
    {
        var type = obj.GetType();
        if (!AllowList.Allows(type))
        {
            throw Refuse(type.FullName ?? type.Name, RefusalSide.Outbound, "type is not on the serializer allow-list");
        }

        byte[] bytes;
        try
        {
            bytes = Encode(obj);
        }
        catch (Exception e)
        {
            throw Refuse(type.FullName ?? type.Name, RefusalSide.Outbound, $"message does not encode: {e.Message}");
        }

        if (bytes.LongLength > _maxMessageBytes)
        {
            throw Refuse(type.FullName ?? type.Name, RefusalSide.Outbound,
                $"message is {bytes.LongLength} bytes, over the {_maxMessageBytes}-byte limit");
        }

        Metrics.MessageSerialized("out", bytes.Length);
        return bytes;
    }

    public sealed override object FromBinary(byte[] bytes, string manifest)
    {
        if (!TryResolve(manifest, out var expected))
        {
            throw Refuse(manifest, RefusalSide.Inbound, "type is not on the serializer allow-list");
        }

        if (bytes.LongLength > _maxMessageBytes)
        {
            throw Refuse(manifest, RefusalSide.Inbound, $"message is {bytes.LongLength} bytes, over the {_maxMessageBytes}-byte limit");
        }

        object? result;
        try
        {
            result = Decode(bytes, expected);
        }
        catch (Exception e)
        {
            throw Refuse(manifest, RefusalSide.Inbound, $"payload does not decode: {e.Message}");
        }

        Metrics.MessageSerialized("in", bytes.Length);
        return result?.GetType() == expected
            ? result
            : throw Refuse(manifest, RefusalSide.Inbound, $"payload holds a {result?.GetType().FullName ?? "null"}, not the announced type");
    }

    /// <summary>The bytes of an allowed message.</summary>
    protected abstract byte[] Encode(object message);

    /// <summary>The message the bytes hold; <paramref name="expected"/> is the allowed type the manifest named.</summary>
    protected abstract object? Decode(byte[] bytes, Type expected);

    /// <summary>The allowed type a manifest names.</summary>
    protected virtual bool TryResolve(string manifest, out Type type) => AllowList.TryResolve(manifest, out type);

    private NodeMetrics Metrics => _metrics ??= NodeMetrics.For(system);

    private SerializationException Refuse(string typeName, RefusalSide side, string reason)
    {
        _log ??= Logging.GetLogger(system, GetType());
        _log.Warning("Refused {Side} message of type {Type}: {Reason}", side, typeName, reason);
        system.EventStream.Publish(new MessageRefused(typeName, side, reason));
        Metrics.MessageRefused(side == RefusalSide.Inbound ? "in" : "out");
        return new SerializationException($"Refused {side.ToString().ToLowerInvariant()} message of type '{typeName}': {reason}");
    }
}
