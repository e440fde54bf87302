using System.Runtime.Serialization;
using Akka.Actor;
using Naeural.Actors.Telemetry;
using Akka.Configuration;
using Akka.Event;
using Akka.Serialization;
using Akka.Util;
using Hyperion;

namespace Naeural.Actors.Serialization;

/// <summary>
/// The serializer for every Naeural message that crosses a node boundary or reaches the journal: Hyperion underneath,
/// but only for the types of the <see cref="MessageAllowList"/>, and only up to a size limit. Nodes don't trust each
/// other: anything else is refused on the way out and on the way in, published as <see cref="MessageRefused"/> and logged;
/// the association and the rest of the traffic carry on.
/// </summary>
public sealed class AllowListSerializer : SerializerWithStringManifest
{
    /// <summary>Serializer id on the wire (ids below 100 are Akka's own).</summary>
    public const int SerializerId = 4711;

    /// <summary>The name under <c>akka.actor.serializers</c> and <c>serialization-settings</c>.</summary>
    public const string Name = "naeural";

    private readonly MessageAllowList _allowList;
    private readonly Hyperion.Serializer _hyperion;
    private readonly long _maxMessageBytes;
    private ILoggingAdapter? _log; // created on first use: the actor system isn't ready while serializers are built
    private NodeMetrics? _metrics; // likewise

    public AllowListSerializer(ExtendedActorSystem system, Config config)
        : base(system)
    {
        _allowList = MessageAllowList.FromConfig(config);
        _maxMessageBytes = config.GetByteSize("max-message-size", null) ?? 4 * 1024 * 1024;
        var actorRefs = Surrogate.Create<ISurrogated, ISurrogate>(
            from => from.ToSurrogate(system),
            to => to.FromSurrogate(system));
        _hyperion = new Hyperion.Serializer(new SerializerOptions(
            versionTolerance: true,
            preserveObjectReferences: false,
            surrogates: [actorRefs],
            serializerFactories: null,
            knownTypes: null,
            ignoreISerializable: true,
            packageNameOverrides: null,
            disallowUnsafeTypes: true,
            typeFilter: _allowList));
    }

    public override int Identifier => SerializerId;

    public MessageAllowList AllowList => _allowList;

    public override string Manifest(object o) =>
        _allowList.TryGetManifest(o.GetType(), out var manifest)
            ? manifest
            : throw Refuse(o.GetType().FullName ?? o.GetType().Name, RefusalSide.Outbound, "type is not on the serializer allow-list");

    public override byte[] ToBinary(object obj)
    {
        var type = obj.GetType();
        if (!_allowList.Allows(type))
        {
            throw Refuse(type.FullName ?? type.Name, RefusalSide.Outbound, "type is not on the serializer allow-list");
        }

        using var stream = new MemoryStream();
        _hyperion.Serialize(obj, stream);
        if (stream.Length > _maxMessageBytes)
        {
            throw Refuse(type.FullName ?? type.Name, RefusalSide.Outbound,
                $"message is {stream.Length} bytes, over the {_maxMessageBytes}-byte limit");
        }

        Metrics.MessageSerialized("out", (int)stream.Length);
        return stream.ToArray();
    }

    public override object FromBinary(byte[] bytes, string manifest)
    {
        if (!_allowList.TryResolve(manifest, out var expected))
        {
            throw Refuse(manifest, RefusalSide.Inbound, "type is not on the serializer allow-list");
        }

        if (bytes.LongLength > _maxMessageBytes)
        {
            throw Refuse(manifest, RefusalSide.Inbound, $"message is {bytes.LongLength} bytes, over the {_maxMessageBytes}-byte limit");
        }

        object result;
        try
        {
            using var stream = new MemoryStream(bytes, writable: false);
            result = _hyperion.Deserialize(stream);
        }
        catch (Exception e) when (e is not SerializationException)
        {
            throw Refuse(manifest, RefusalSide.Inbound, $"payload does not decode: {e.Message}");
        }
        catch (SerializationException e)
        {
            throw Refuse(manifest, RefusalSide.Inbound, $"payload does not decode: {e.Message}");
        }

        Metrics.MessageSerialized("in", bytes.Length);
        return result.GetType() == expected
            ? result
            : throw Refuse(manifest, RefusalSide.Inbound, $"payload holds a {result.GetType().FullName}, not the announced type");
    }

    private NodeMetrics Metrics => _metrics ??= NodeMetrics.For(system);

    private SerializationException Refuse(string typeName, RefusalSide side, string reason)
    {
        _log ??= Logging.GetLogger(system, typeof(AllowListSerializer));
        _log.Warning("Refused {0} message of type {1}: {2}", side, typeName, reason);
        system.EventStream.Publish(new MessageRefused(typeName, side, reason));
        Metrics.MessageRefused(side == RefusalSide.Inbound ? "in" : "out");
        return new SerializationException($"Refused {side.ToString().ToLowerInvariant()} message of type '{typeName}': {reason}");
    }
}
