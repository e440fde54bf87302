using System.Collections;
using System.Reflection;
using Naeural.Actors.Serialization;
using Naeural.Ledger;
using Xunit;

namespace Naeural.Host.Tests.Security;

/// <summary>
/// The client protocol is closed: every type a client-protocol message carries inside it (a report's signed table, a
/// record's enum) is on the client list too. Otherwise the edge or the client refuses the nested type on the way in and
/// the answer is lost: the client only sees a timeout.
/// </summary>
public sealed class ClientProtocolClosureTests
{
    [Fact]
    public void Every_type_nested_in_a_client_protocol_message_is_on_the_client_list()
    {
        var client = KernelMessages.Client.Concat(LedgerMessages.Client).ToHashSet();

        var missing = client
            .SelectMany(type => Nested(type).Select(inner => (Outer: type, Inner: inner)))
            .Where(pair => !client.Contains(pair.Inner))
            .Select(pair => $"{pair.Inner.FullName} (in {pair.Outer.Name})")
            .Distinct()
            .ToList();

        Assert.True(missing.Count == 0, "not on the client list: " + string.Join(", ", missing));
    }

    /// <summary>The project's own types a message's fields hold, through collections, nullables and generic arguments.</summary>
    private static IEnumerable<Type> Nested(Type root)
    {
        var seen = new HashSet<Type>();
        var pending = new Stack<Type>(Fields(root));
        while (pending.TryPop(out var type))
        {
            if (!seen.Add(type))
            {
                continue;
            }

            if (type.IsGenericType || type.IsArray)
            {
                foreach (var argument in type.IsArray ? [type.GetElementType()!] : type.GetGenericArguments())
                {
                    pending.Push(argument);
                }

                continue;
            }

            if (type.Namespace?.StartsWith("Naeural.", StringComparison.Ordinal) == true && !typeof(Delegate).IsAssignableFrom(type))
            {
                yield return type;
                if (!type.IsEnum)
                {
                    foreach (var field in Fields(type))
                    {
                        pending.Push(field);
                    }
                }
            }
        }
    }

    private static IEnumerable<Type> Fields(Type type) =>
        type.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic)
            .Select(f => f.FieldType)
            .Where(t => !typeof(IEnumerator).IsAssignableFrom(t));
}
