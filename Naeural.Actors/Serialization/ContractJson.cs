using System.Globalization;
using System.Numerics;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Akka.Actor;

namespace Naeural.Actors.Serialization;

/// <summary>
/// The JSON settings of <see cref="ContractSerializer"/>: properties by their C# names, enums by name,
/// <see cref="BigInteger"/> as a decimal string, actor references as Akka's serialized paths, and members typed
/// <see cref="object"/> as <c>{"type": wire name, "value": …}</c> limited to the allow-list. Unknown properties are
/// skipped (a newer writer's fields). A constructor parameter without a default must be present (so a peer cannot leave
/// out what a handler relies on, e.g. a list it iterates); one with a default reads as that default when missing: that is
/// how a field is added (an older writer's bytes lack it).
/// </summary>
public static class ContractJson
{
    /// <param name="allowList">The types an <see cref="object"/> member may hold.</param>
    /// <param name="system">Resolves actor references; none when the messages carry none (tests of pure data).</param>
    public static JsonSerializerOptions Options(MessageAllowList allowList, ExtendedActorSystem? system)
    {
        var options = new JsonSerializerOptions
        {
            RespectRequiredConstructorParameters = true,
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, // never shown in a page: escaping only costs bytes
            NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
            UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip,
            MaxDepth = 64,
            Converters = { new JsonStringEnumConverter(allowIntegerValues: false), new BigIntegerConverter(), new AllowedObjectConverter(allowList) },
        };
        if (system is not null)
        {
            options.Converters.Add(new ActorRefConverter(system));
        }

        return options;
    }

    /// <summary>Amounts and nonces as decimal strings of at most 78 digits (a uint256 has 78): parsing is superlinear in the digits.</summary>
    private sealed class BigIntegerConverter : JsonConverter<BigInteger>
    {
        private const int MaxDigits = 78;

        public override BigInteger Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            var text = reader.TokenType == JsonTokenType.Number
                ? Encoding.UTF8.GetString(reader.ValueSpan)
                : reader.GetString() ?? throw new JsonException("a number is null");
            return text.TrimStart('-').Length is > 0 and <= MaxDigits
                   && BigInteger.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
                ? value
                : throw new JsonException($"a big integer must be a decimal of 1 to {MaxDigits} digits");
        }

        public override void Write(Utf8JsonWriter writer, BigInteger value, JsonSerializerOptions options) =>
            writer.WriteStringValue(value.ToString(CultureInfo.InvariantCulture));
    }

    private sealed class ActorRefConverter(ExtendedActorSystem system) : JsonConverter<IActorRef>
    {
        public override IActorRef Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            system.Provider.ResolveActorRef(reader.GetString() ?? throw new JsonException("an actor path is null"));

        public override void Write(Utf8JsonWriter writer, IActorRef value, JsonSerializerOptions options) =>
            writer.WriteStringValue(Akka.Serialization.Serialization.SerializedActorPath(value));
    }

    /// <summary>A member typed <see cref="object"/>: the value's wire name, then the value; only allowed types either way.</summary>
    private sealed class AllowedObjectConverter(MessageAllowList allowList) : JsonConverter<object>
    {
        public override object Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            if (reader.TokenType != JsonTokenType.StartObject || !reader.Read() || reader.GetString() != "type" || !reader.Read())
            {
                throw new JsonException("an object member must start with its \"type\"");
            }

            var name = reader.GetString() ?? "";
            if (!allowList.TryResolve(name, out var type))
            {
                throw new JsonException($"an object member holds '{name}', which is not on the allow-list");
            }

            if (!reader.Read() || reader.GetString() != "value" || !reader.Read())
            {
                throw new JsonException("an object member must hold a \"value\" after its \"type\"");
            }

            var value = JsonSerializer.Deserialize(ref reader, type, options) ?? throw new JsonException("an object member's value is null");
            return reader.Read() && reader.TokenType == JsonTokenType.EndObject
                ? value
                : throw new JsonException("an object member holds more than its \"type\" and \"value\"");
        }

        public override void Write(Utf8JsonWriter writer, object value, JsonSerializerOptions options)
        {
            if (!allowList.TryGetManifest(value.GetType(), out var name))
            {
                throw new JsonException($"an object member holds a {value.GetType().FullName}, which is not on the allow-list");
            }

            writer.WriteStartObject();
            writer.WriteString("type", name);
            writer.WritePropertyName("value");
            JsonSerializer.Serialize(writer, value, value.GetType(), options);
            writer.WriteEndObject();
        }
    }
}
