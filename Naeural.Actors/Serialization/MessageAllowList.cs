using System.Collections.Frozen;
using System.Reflection.Metadata;
using Akka.Configuration;

namespace Naeural.Actors.Serialization;

/// <summary>
/// The explicit list of message types this node agrees to put on, or take off, the wire, each by its declared
/// <see cref="WireNameAttribute"/>. Wire manifests are looked up in a dictionary (no type is ever loaded by a name a peer
/// sent), and every type name met inside a payload of the previous format is checked by <see cref="IsAllowed"/> before
/// Hyperion may load it.
/// </summary>
public sealed class MessageAllowList : Hyperion.ITypeFilter
{
    /// <summary>The HOCON key, under the serializer's settings, that lists the allowed types.</summary>
    public const string ConfigKey = "allowed-types";

    private static readonly FrozenSet<string> SafeSystemTypes = new[]
    {
        "System.Boolean", "System.Byte", "System.SByte", "System.Char", "System.Int16", "System.UInt16",
        "System.Int32", "System.UInt32", "System.Int64", "System.UInt64", "System.Single", "System.Double",
        "System.Decimal", "System.String", "System.DateTime", "System.DateTimeOffset", "System.TimeSpan",
        "System.Guid", "System.Numerics.BigInteger", "System.Nullable`1", "System.Collections.Generic.List`1",
        "System.Collections.Generic.Dictionary`2", "System.Collections.Generic.HashSet`1",
        "System.Collections.Generic.KeyValuePair`2", "System.Collections.Immutable.ImmutableArray`1",
        "System.Collections.Immutable.ImmutableList`1", "System.Collections.Immutable.ImmutableDictionary`2",
        "System.Collections.Immutable.ImmutableSortedDictionary`2", "System.Collections.Immutable.ImmutableHashSet`1",
        // Akka's own surrogate for IActorRef (a path string), so messages may carry reply-to references.
        "Akka.Actor.ActorRefBase+Surrogate",
    }.ToFrozenSet(StringComparer.Ordinal);

    private static readonly FrozenSet<string> SafeSystemAssemblies = new[]
    {
        "System.Private.CoreLib", "mscorlib", "netstandard", "System.Runtime", "System.Collections",
        "System.Collections.Immutable", "System.Runtime.Numerics", "Akka",
    }.ToFrozenSet(StringComparer.Ordinal);

    private const string HyperionCoreSuffix = ",%core%";

    private readonly FrozenDictionary<string, Type> _byManifest;
    private readonly FrozenDictionary<string, Type> _byFullName;
    private readonly FrozenDictionary<Type, string> _manifests;

    /// <exception cref="ConfigurationException">A type has no wire name, or two types claim one.</exception>
    public MessageAllowList(IEnumerable<Type> types)
    {
        var list = types.Distinct().ToList();
        _manifests = list.ToFrozenDictionary(t => t, ManifestFor);
        var names = list.SelectMany(t => new[] { ManifestFor(t) }.Concat(WireNameOf(t)!.Aliases).Select(name => (name, t))).ToList();
        if (names.GroupBy(n => n.name).FirstOrDefault(g => g.Count() > 1) is { } clash)
        {
            throw new ConfigurationException(
                $"Wire name '{clash.Key}' is claimed by {string.Join(" and ", clash.Select(n => n.t.FullName))}: each type needs its own");
        }

        _byManifest = names.ToFrozenDictionary(n => n.name, n => n.t, StringComparer.Ordinal);
        _byFullName = list.ToFrozenDictionary(t => t.FullName ?? t.Name, StringComparer.Ordinal);
    }

    /// <summary>The allowed types, in no particular order.</summary>
    public IEnumerable<Type> Types => _manifests.Keys;

    /// <summary>Reads the list from a serializer's config (<c>allowed-types = ["Ns.Type, Assembly", …]</c>).</summary>
    /// <exception cref="ConfigurationException">A listed type does not exist: configuration is local and trusted, so a typo fails at start.</exception>
    public static MessageAllowList FromConfig(Config config)
    {
        var names = config.GetStringList(ConfigKey, []);
        var types = names.Select(name => Type.GetType(name, throwOnError: false)
            ?? throw new ConfigurationException($"Serializer allow-list names a type that does not exist: '{name}'"));
        return new MessageAllowList(types);
    }

    /// <summary>The wire name of a type: its <see cref="WireNameAttribute"/>.</summary>
    /// <exception cref="ConfigurationException">The type declares none: a type on the wire needs a name that outlives a rename.</exception>
    public static string ManifestFor(Type type) =>
        WireNameOf(type)?.Name
        ?? throw new ConfigurationException(
            $"{type.FullName} is on a serializer allow-list without a [WireName]: declare the stable name it goes by on the wire and in journals");

    private static WireNameAttribute? WireNameOf(Type type) =>
        (WireNameAttribute?)Attribute.GetCustomAttribute(type, typeof(WireNameAttribute), inherit: false);

    public bool Allows(Type type) => _manifests.ContainsKey(type);

    public bool TryGetManifest(Type type, out string manifest) => _manifests.TryGetValue(type, out manifest!);

    public bool TryResolve(string manifest, out Type type) => _byManifest.TryGetValue(manifest, out type!);

    /// <summary>Hyperion's filter: may the type of this (assembly-qualified) name be loaded while reading a payload?</summary>
    /// <remarks>Hyperion abbreviates the core library's version, culture and key as <c>,%core%</c>; that is dropped before parsing.</remarks>
    public bool IsAllowed(string typeName) =>
        TypeName.TryParse(typeName.Replace(HyperionCoreSuffix, "", StringComparison.Ordinal).AsSpan(), out var parsed)
        && IsAllowed(parsed);

    private bool IsAllowed(TypeName name)
    {
        if (name.IsArray || name.IsPointer || name.IsByRef)
        {
            return !name.IsPointer && !name.IsByRef && IsAllowed(name.GetElementType());
        }

        if (name.IsConstructedGenericType)
        {
            return IsAllowedDefinition(name.GetGenericTypeDefinition())
                   && name.GetGenericArguments().All(IsAllowed);
        }

        return IsAllowedDefinition(name);
    }

    private bool IsAllowedDefinition(TypeName name)
    {
        var assembly = name.AssemblyName?.Name;
        if (_byFullName.TryGetValue(name.FullName, out var allowed))
        {
            return assembly is null || assembly == allowed.Assembly.GetName().Name;
        }

        return SafeSystemTypes.Contains(name.FullName) && (assembly is null || SafeSystemAssemblies.Contains(assembly));
    }
}
