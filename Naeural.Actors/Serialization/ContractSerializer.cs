using System.Text.Json;
using Akka.Actor;
using Akka.Configuration;

namespace Naeural.Actors.Serialization;

/// <summary>
/// The format nodes write on the wire and in journals and snapshots (id <see cref="SerializerId"/>): UTF-8 JSON of the
/// message's public properties, beside its <see cref="WireNameAttribute"/> as the manifest. Nothing in the bytes names a
/// CLR type, so a type may be renamed or moved freely; fields follow the evolution rule of <see cref="WireNameAttribute"/>.
/// No type is ever loaded by a name a peer sent: members typed <see cref="object"/> name an allowed type by its wire name
/// (<see cref="ContractJson"/>).
/// </summary>
public sealed class ContractSerializer : AllowListSerializer
{
    /// <summary>Serializer id on the wire and in journals (ids below 100 are Akka's own; 4711 is the previous format).</summary>
    public const int SerializerId = 4712;

    /// <summary>The name under <c>akka.actor.serializers</c> and <c>serialization-settings</c>.</summary>
    public const string Name = "naeural";

    private readonly JsonSerializerOptions _json;

    public ContractSerializer(ExtendedActorSystem system, Config config)
        : base(system, config) =>
        _json = ContractJson.Options(AllowList, system);

    public override int Identifier => SerializerId;

    protected override byte[] Encode(object message) => JsonSerializer.SerializeToUtf8Bytes(message, message.GetType(), _json);

    protected override object? Decode(byte[] bytes, Type expected) => JsonSerializer.Deserialize(bytes, expected, _json);
}
