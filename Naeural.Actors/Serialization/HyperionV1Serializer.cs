using System.Collections.Frozen;
using System.Text.RegularExpressions;
using Akka.Actor;
using Akka.Configuration;
using Akka.Util;
using Hyperion;

namespace Naeural.Actors.Serialization;

/// <summary>
/// The previous format (id <see cref="SerializerId"/>, written until 2026-12-07): Hyperion's bytes, which name CLR types
/// inside them, under the CLR full name as the manifest. Kept so a node reads the journals, snapshots and peers of the
/// release before it; both kinds of name go through <see cref="HyperionV1Names"/>, so renamed types still read. A node
/// writes it only when told to (<see cref="WireFormat.V1"/>, while a network upgrades from that release).
/// </summary>
public sealed partial class HyperionV1Serializer : AllowListSerializer
{
    /// <summary>Serializer id of the previous format, as its journals and peers name it.</summary>
    public const int SerializerId = 4711;

    /// <summary>The name under <c>akka.actor.serializers</c> and <c>serialization-settings</c>.</summary>
    public const string Name = "naeural-v1";

    private readonly Hyperion.Serializer _hyperion;
    private readonly FrozenDictionary<string, Type> _readable;

    public HyperionV1Serializer(ExtendedActorSystem system, Config config)
        : base(system, config)
    {
        // What this format reads, by its manifest: the frozen full names, then today's for types added since; never a type
        // with a member typed object (no journal holds one, and Hyperion has no depth limit to stop a self-nested one).
        _readable = AllowList.Types
            .Where(t => !t.GetProperties().Any(p => p.PropertyType == typeof(object)))
            .SelectMany(t => new[] { ManifestFor(t), t.FullName! }.Distinct().Select(name => (name, t)))
            .DistinctBy(entry => entry.name)
            .ToFrozenDictionary(entry => entry.name, entry => entry.t, StringComparer.Ordinal);
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
            packageNameOverrides: [CurrentName],
            disallowUnsafeTypes: true,
            typeFilter: AllowList));
    }

    public override int Identifier => SerializerId;

    /// <summary>The previous format's manifest of an allowed message (an unlisted one is refused, as by the contract).</summary>
    public override string Manifest(object o)
    {
        _ = base.Manifest(o);
        return ManifestFor(o.GetType());
    }

    /// <summary>The manifest the previous format gives a type: its frozen full name, or for a type added since, its full name today.</summary>
    public static string ManifestFor(Type type) =>
        HyperionV1Names.FullNameOf.GetValueOrDefault(MessageAllowList.ManifestFor(type)) ?? type.FullName!;

    protected override byte[] Encode(object message)
    {
        using var stream = new MemoryStream();
        _hyperion.Serialize(message, stream);
        return stream.ToArray();
    }

    protected override object? Decode(byte[] bytes, Type expected)
    {
        using var stream = new MemoryStream(bytes, writable: false);
        return _hyperion.Deserialize(stream);
    }

    /// <summary>
    /// A manifest of the previous format: a full name from the frozen table, or a type's full name today. A type with a
    /// member typed <see cref="object"/> (the edge's <c>ToNode</c>, which no journal holds) is not read in this format:
    /// Hyperion has no depth limit, and one nested in itself a million times would overflow the reader's stack.
    /// </summary>
    protected override bool TryResolve(string manifest, out Type type) => _readable.TryGetValue(manifest, out type!);

    /// <summary>Hyperion's name override: every Naeural type named in the bytes, mapped to today's type of that wire name.</summary>
    private string CurrentName(string typeName) =>
        NaeuralTypeName().Replace(typeName, m =>
            HyperionV1Names.WireNameOf.TryGetValue(m.Groups["name"].Value, out var wireName) && AllowList.TryResolve(wireName, out var type)
                ? $"{type.FullName}, {type.Assembly.GetName().Name}"
                : m.Value);

    [GeneratedRegex(@"(?<name>Naeural\.[\w.+]+), (?<assembly>Naeural\.\w+)")]
    private static partial Regex NaeuralTypeName();
}
