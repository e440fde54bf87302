using System.Collections;
using System.Collections.Immutable;
using System.Numerics;
using System.Reflection;
using System.Text.Json.Nodes;
using Akka.Actor;

namespace Naeural.Testing.Hostile;

/// <summary>
/// What a hostile peer knows and wants: the victims' ids (an owner's address, its pipeline, its channel, a node) to put in
/// forged fields, its own address to be paid or billed to, and its own actor to receive whatever a victim answers.
/// </summary>
public sealed record ForgeryTargets(string Owner, string Pipeline, string Node, string Attacker, string Channel, string Job, IActorRef ReplyTo);

/// <summary>
/// Builds instances of any message type with forged fields by reflection: ids of the victims, huge amounts, far sequence
/// numbers, the attacker's own actor wherever a reference goes. Two variants per type: one aimed at the victim owner and
/// pipeline, one that names the attacker as beneficiary.
/// </summary>
public static class MessageForger
{
    private const int MaxDepth = 5;

    /// <summary>Forged instances of <paramref name="type"/>; empty when the type cannot be built (its reason in <paramref name="why"/>).</summary>
    public static IReadOnlyList<object> Forge(Type type, ForgeryTargets targets, out string? why)
    {
        why = null;
        var forged = new List<object>();
        foreach (var beneficiary in new[] { targets.Owner, targets.Attacker })
        {
            try
            {
                if (Build(type, targets, beneficiary, "", 0) is { } value)
                {
                    forged.Add(value);
                }
            }
            catch (Exception e)
            {
                why = e.GetBaseException().Message;
            }
        }

        return forged;
    }

    private static object? Build(Type type, ForgeryTargets t, string beneficiary, string name, int depth)
    {
        var lower = name.ToLowerInvariant();
        if (Nullable.GetUnderlyingType(type) is { } underlying)
        {
            return Build(underlying, t, beneficiary, name, depth);
        }

        if (type == typeof(string))
        {
            return ForgedString(lower, t, beneficiary);
        }

        if (type == typeof(bool))
        {
            return true;
        }

        if (type == typeof(int) || type == typeof(short) || type == typeof(byte))
        {
            return Convert.ChangeType(lower.Contains("index") ? 0 : 100, type);
        }

        if (type == typeof(long))
        {
            return lower.Contains("epoch") ? 1L : 1_000_000_000L;
        }

        if (type == typeof(double) || type == typeof(float) || type == typeof(decimal))
        {
            return Convert.ChangeType(1e9, type);
        }

        if (type == typeof(BigInteger))
        {
            return BigInteger.Pow(10, 30);
        }

        if (type == typeof(DateTimeOffset))
        {
            return DateTimeOffset.UtcNow;
        }

        if (type == typeof(DateTime))
        {
            return DateTime.UtcNow;
        }

        if (type == typeof(TimeSpan))
        {
            return TimeSpan.FromDays(1);
        }

        if (type == typeof(Guid))
        {
            return Guid.NewGuid();
        }

        if (type.IsEnum)
        {
            var values = Enum.GetValues(type);
            return values.Length > 1 ? values.GetValue(1) : values.GetValue(0);
        }

        if (typeof(IActorRef).IsAssignableFrom(type))
        {
            return t.ReplyTo;
        }

        if (type == typeof(object))
        {
            // A request carried for another node (the client edge's ToNode): an unsigned settle of the victim's channel.
            return new Naeural.Ledger.Channels.SettleChannel(t.Channel);
        }

        if (type == typeof(byte[]))
        {
            return new byte[65];
        }

        if (typeof(JsonNode).IsAssignableFrom(type))
        {
            return new JsonObject { ["EE_SENDER"] = beneficiary, ["NAME"] = t.Pipeline, ["x"] = 1 };
        }

        if (depth >= MaxDepth)
        {
            return null;
        }

        if (Collection(type, t, beneficiary, name, depth, out var collection))
        {
            return collection;
        }

        if (type.GetProperty("Instance", BindingFlags.Public | BindingFlags.Static) is { } singleton && singleton.PropertyType == type)
        {
            return singleton.GetValue(null);
        }

        if (type.IsAbstract || type.IsInterface)
        {
            return null;
        }

        var constructor = type.GetConstructors(BindingFlags.Public | BindingFlags.Instance)
            .Where(c => c.GetParameters().All(p => p.ParameterType != type))
            .OrderByDescending(c => c.GetParameters().Length)
            .FirstOrDefault();
        if (constructor is null)
        {
            return type.IsValueType ? Activator.CreateInstance(type) : null;
        }

        var arguments = constructor.GetParameters()
            .Select(p => Build(p.ParameterType, t, beneficiary, p.Name ?? "", depth + 1) ?? Default(p))
            .ToArray();
        return constructor.Invoke(arguments);
    }

    private static object? Default(ParameterInfo parameter) =>
        parameter.HasDefaultValue ? parameter.DefaultValue
        : parameter.ParameterType.IsValueType ? Activator.CreateInstance(parameter.ParameterType)
        : null;

    private static string ForgedString(string name, ForgeryTargets t, string beneficiary) => name switch
    {
        _ when name.Contains("pipeline") => t.Pipeline,
        _ when name.Contains("channel") => t.Channel,
        _ when name.Contains("job") => t.Job,
        _ when name.Contains("node") || name.Contains("payee") || name.Contains("observer") => t.Node,
        _ when name.Contains("owner") || name.Contains("payer") || name.Contains("signer") || name.Contains("from") => t.Owner,
        _ when name.Contains("to") || name.Contains("claimant") || name.Contains("address") || name.Contains("beneficiary") => beneficiary,
        _ when name.Contains("signature") => "0x" + new string('1', 130),
        _ when name.Contains("json") || name.Contains("request") || name.Contains("command") => $$"""{"EE_SENDER":"{{t.Owner}}","NAME":"{{t.Pipeline}}"}""",
        _ when name.Contains("signatur") || name.Contains("instance") || name.Contains("subscription") => "c",
        _ => t.Pipeline,
    };

    private static bool Collection(Type type, ForgeryTargets t, string beneficiary, string name, int depth, out object? value)
    {
        value = null;
        if (type.IsArray)
        {
            var element = type.GetElementType()!;
            var array = Array.CreateInstance(element, 1);
            array.SetValue(Build(element, t, beneficiary, name, depth + 1), 0);
            value = array;
            return true;
        }

        if (!type.IsGenericType)
        {
            return false;
        }

        var definition = type.GetGenericTypeDefinition();
        var arguments = type.GetGenericArguments();
        if (arguments.Length == 1 && (definition == typeof(ImmutableArray<>) || definition == typeof(IReadOnlyList<>)
            || definition == typeof(IEnumerable<>) || definition == typeof(ImmutableList<>) || definition == typeof(List<>)
            || definition == typeof(IReadOnlyCollection<>) || definition == typeof(IList<>) || definition == typeof(ImmutableHashSet<>)
            || definition == typeof(IReadOnlySet<>) || definition == typeof(ISet<>) || definition == typeof(HashSet<>)))
        {
            var list = (IList)Activator.CreateInstance(typeof(List<>).MakeGenericType(arguments[0]))!;
            list.Add(Build(arguments[0], t, beneficiary, name, depth + 1));
            value = definition == typeof(ImmutableArray<>) ? Invoke(typeof(ImmutableArray), "CreateRange", arguments, list)
                : definition == typeof(ImmutableList<>) ? Invoke(typeof(ImmutableList), "CreateRange", arguments, list)
                : definition == typeof(ImmutableHashSet<>) || definition == typeof(IReadOnlySet<>) || definition == typeof(ISet<>)
                    ? Invoke(typeof(ImmutableHashSet), "CreateRange", arguments, list)
                : definition == typeof(HashSet<>) ? Activator.CreateInstance(type, list)
                : list;
            return true;
        }

        if (arguments.Length == 2 && (definition == typeof(ImmutableDictionary<,>) || definition == typeof(IReadOnlyDictionary<,>)
            || definition == typeof(IImmutableDictionary<,>) || definition == typeof(Dictionary<,>) || definition == typeof(IDictionary<,>)
            || definition == typeof(ImmutableSortedDictionary<,>)))
        {
            var dictionary = (IDictionary)Activator.CreateInstance(typeof(Dictionary<,>).MakeGenericType(arguments))!;
            if (Build(arguments[0], t, beneficiary, name.Length == 0 ? "node" : name, depth + 1) is { } key)
            {
                dictionary[key] = Build(arguments[1], t, beneficiary, name, depth + 1);
            }

            value = definition == typeof(ImmutableSortedDictionary<,>)
                ? Invoke(typeof(ImmutableSortedDictionary), "CreateRange", arguments, dictionary)
                : definition == typeof(Dictionary<,>) || definition == typeof(IDictionary<,>) ? dictionary
                : Invoke(typeof(ImmutableDictionary), "CreateRange", arguments, dictionary);
            return true;
        }

        return false;
    }

    private static object? Invoke(Type factory, string method, Type[] arguments, object items)
    {
        var candidate = factory.GetMethods(BindingFlags.Public | BindingFlags.Static)
            .First(m => m.Name == method && m.GetParameters().Length == 1 && m.GetGenericArguments().Length == arguments.Length);
        var generic = candidate.MakeGenericMethod(arguments);
        var parameter = generic.GetParameters()[0].ParameterType;
        if (parameter.IsInstanceOfType(items))
        {
            return generic.Invoke(null, [items]);
        }

        // CreateRange of key/value pairs: the dictionary enumerates them.
        var pairs = typeof(Enumerable).GetMethod(nameof(Enumerable.Cast))!.MakeGenericMethod(parameter.GetGenericArguments()[0])
            .Invoke(null, [items]);
        return generic.Invoke(null, [pairs]);
    }
}
