using System.Runtime.Serialization;
using Akka.Actor;
using Akka.Event;
using Akka.Serialization;

namespace Naeural.Actors.Serialization;

/// <summary>
/// Takes the place of Akka's built-in JSON serializer (Newtonsoft with type names, id 1), which would otherwise turn any
/// type a peer names into an object: a peer choosing serializer id 1 could reach past the allow-list. Nothing is bound to
/// it, and it refuses both ways, reporting what it refused like <see cref="AllowListSerializer"/> does.
/// </summary>
public sealed class RefusingSerializer(ExtendedActorSystem system) : Serializer(system)
{
    /// <summary>Akka passes the replaced serializer's settings (<c>serialization-settings.json</c>); none apply.</summary>
    public RefusingSerializer(ExtendedActorSystem system, Akka.Configuration.Config _)
        : this(system)
    {
    }

    /// <summary>The id of the serializer this one replaces.</summary>
    public const int SerializerId = 1;

    public override int Identifier => SerializerId;

    public override bool IncludeManifest => true;

    public override byte[] ToBinary(object obj) =>
        throw Refuse(obj.GetType().FullName ?? obj.GetType().Name, RefusalSide.Outbound);

    public override object FromBinary(byte[] bytes, Type type) =>
        throw Refuse(type?.FullName ?? "(no manifest)", RefusalSide.Inbound);

    private SerializationException Refuse(string typeName, RefusalSide side)
    {
        const string reason = "serializer id 1 (type-named JSON) is disabled: Naeural types travel only through the allow-list serializer";
        Logging.GetLogger(system, typeof(RefusingSerializer)).Warning("Refused {Side} message of type {Type}: {Reason}", side, typeName, reason);
        system.EventStream.Publish(new MessageRefused(typeName, side, reason));
        return new SerializationException($"Refused {side.ToString().ToLowerInvariant()} message of type '{typeName}': {reason}");
    }
}
