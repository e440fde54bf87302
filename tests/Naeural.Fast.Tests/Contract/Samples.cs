using System.Collections;
using System.Collections.Immutable;
using System.Numerics;
using System.Reflection;
using Akka.Actor;
using Naeural.Actors.Network;

namespace Naeural.Fast.Tests.Contract;

/// <summary>
/// A deterministic value of any wire type, every field set to something other than its default (through the public
/// constructor with the most parameters), so a golden file shows every field. Used only to write golden files that are
/// missing; the golden tests themselves read the files, never these values.
/// </summary>
public sealed class Samples(IActorRef actorRef)
{
    public object Of(Type type, string name = "value", int depth = 0)
    {
        if (depth > 8)
        {
            throw new InvalidOperationException($"{type} nests too deep for a sample");
        }

        var underlying = Nullable.GetUnderlyingType(type);
        if (underlying is not null)
        {
            return Of(underlying, name, depth);
        }

        if (Scalar(type, name) is { } scalar)
        {
            return scalar;
        }

        if (type.IsEnum)
        {
            var values = Enum.GetValues(type);
            return values.GetValue(values.Length - 1)!;
        }

        if (typeof(IActorRef).IsAssignableFrom(type))
        {
            return actorRef;
        }

        if (type == typeof(object))
        {
            return new GetNodes(); // members typed object carry an allowed message (ToNode)
        }

        if (type.IsArray)
        {
            var array = Array.CreateInstance(type.GetElementType()!, 1);
            array.SetValue(Of(type.GetElementType()!, name, depth + 1), 0);
            return array;
        }

        if (type.IsGenericType && Collection(type, name, depth) is { } collection)
        {
            return collection;
        }

        var constructor = type.GetConstructors().OrderByDescending(c => c.GetParameters().Length).FirstOrDefault()
            ?? throw new InvalidOperationException($"{type} has no public constructor for a sample");
        return constructor.Invoke(constructor.GetParameters().Select(p => Of(p.ParameterType, p.Name!, depth + 1)).ToArray());
    }

    private static object? Scalar(Type type, string name) => type switch
    {
        _ when type == typeof(string) => name + "-1",
        _ when type == typeof(bool) => true,
        _ when type == typeof(int) => 7,
        _ when type == typeof(long) => 42L,
        _ when type == typeof(short) => (short)3,
        _ when type == typeof(byte) => (byte)5,
        _ when type == typeof(uint) => 9u,
        _ when type == typeof(ulong) => 11ul,
        _ when type == typeof(double) => 1.5,
        _ when type == typeof(float) => 2.5f,
        _ when type == typeof(decimal) => 3.25m,
        _ when type == typeof(char) => 'x',
        _ when type == typeof(BigInteger) => BigInteger.Pow(10, 24) + 1,
        _ when type == typeof(DateTimeOffset) => new DateTimeOffset(2026, 12, 7, 12, 30, 45, TimeSpan.Zero),
        _ when type == typeof(DateTime) => new DateTime(2026, 12, 7, 12, 30, 45, DateTimeKind.Utc),
        _ when type == typeof(TimeSpan) => TimeSpan.FromSeconds(90),
        _ when type == typeof(Guid) => Guid.Parse("6f1c2a9e-0b5d-4c3a-9e1f-2d7b8a4c5e60"),
        _ when type == typeof(byte[]) => new byte[] { 1, 2, 3, 254 },
        _ => null,
    };

    private object? Collection(Type type, string name, int depth)
    {
        var definition = type.GetGenericTypeDefinition();
        var args = type.GetGenericArguments();
        if (args.Length == 2 && typeof(IEnumerable).IsAssignableFrom(type) && definition != typeof(KeyValuePair<,>))
        {
            var key = Of(args[0], name + "-key", depth + 1);
            var value = Of(args[1], name, depth + 1);
            var dictionary = (IDictionary)Activator.CreateInstance(typeof(Dictionary<,>).MakeGenericType(args))!;
            dictionary.Add(key, value);
            return definition == typeof(Dictionary<,>) || definition == typeof(IReadOnlyDictionary<,>) || definition == typeof(IDictionary<,>)
                ? dictionary
                : Immutable(definition, args, dictionary);
        }

        if (args.Length == 1 && typeof(IEnumerable).IsAssignableFrom(type))
        {
            var list = (IList)Activator.CreateInstance(typeof(List<>).MakeGenericType(args))!;
            list.Add(Of(args[0], name, depth + 1));
            if (definition == typeof(List<>) || definition == typeof(IReadOnlyList<>) || definition == typeof(IReadOnlyCollection<>)
                || definition == typeof(IEnumerable<>) || definition == typeof(IList<>))
            {
                return list;
            }

            return definition == typeof(HashSet<>) || definition == typeof(ISet<>) || definition == typeof(IReadOnlySet<>)
                ? Activator.CreateInstance(typeof(HashSet<>).MakeGenericType(args), list)
                : Immutable(definition, args, list);
        }

        return null;
    }

    /// <summary>An immutable collection through its static <c>CreateRange</c> (ImmutableArray, ImmutableList, ImmutableDictionary …).</summary>
    private static object Immutable(Type definition, Type[] args, IEnumerable items)
    {
        var factory = typeof(ImmutableArray).Assembly.GetType(definition.FullName![..definition.FullName!.IndexOf('`')])
            ?? throw new InvalidOperationException($"no sample for {definition}");
        var createRange = factory.GetMethods(BindingFlags.Public | BindingFlags.Static)
            .Single(m => m.Name == "CreateRange" && m.GetGenericArguments().Length == args.Length && m.GetParameters() is [var only]
                         && only.ParameterType.IsGenericType && only.ParameterType.GetGenericTypeDefinition() == typeof(IEnumerable<>));
        return createRange.MakeGenericMethod(args).Invoke(null, [items])!;
    }
}
