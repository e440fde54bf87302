using System.ComponentModel;
using System.Globalization;
using System.Reflection;
using Microsoft.Extensions.Configuration;

namespace Naeural.Host.Hosting;

/// <summary>
/// Reads a typed settings class from configuration (appsettings, <c>NAEURAL__*</c> variables, flags), after checking every
/// value against its property's type, so that a value that can't be one is refused at start naming the setting and its flag
/// (<c>Naeural:Persistence (--persistence) must be sqlite or postgresql, not 'mongodb'</c>). Enums take their names only,
/// in any case (not numbers); numbers, booleans, <see cref="TimeSpan"/>s (<c>00:05:00</c>) and dates must parse.
/// </summary>
public static class TypedSettings
{
    public static T Read<T>(IConfiguration configuration, string section, IDictionary<string, string> flags) where T : new()
    {
        var settings = configuration.GetSection(section);
        var flagOf = flags.ToDictionary(f => f.Value, f => f.Key, StringComparer.OrdinalIgnoreCase);
        Check(typeof(T), settings, flagOf, depth: 0);
        return settings.Get<T>() ?? new T();
    }

    /// <summary>A setting's value as the name callers and error messages use: an enum's name in lower case.</summary>
    public static string Name<TEnum>(TEnum value) where TEnum : struct, Enum => value.ToString().ToLowerInvariant();

    private static void Check(Type type, IConfigurationSection section, IReadOnlyDictionary<string, string> flagOf, int depth)
    {
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.SetMethod is { IsPublic: true }))
        {
            var child = section.GetSection(property.Name);
            var target = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            var optional = Nullable.GetUnderlyingType(property.PropertyType) is not null;
            if (child.Value is { } value && !(optional && value.Length == 0) && Problem(target, value) is { } problem)
            {
                var flag = flagOf.TryGetValue(child.Path, out var f) ? $" ({f})" : "";
                throw new ArgumentException($"{child.Path}{flag} must be {problem}, not '{value}'");
            }

            if (depth < 4 && target.IsClass && target != typeof(string) && !typeof(System.Collections.IEnumerable).IsAssignableFrom(target))
            {
                Check(target, child, flagOf, depth + 1);
            }
        }
    }

    private static string? Problem(Type type, string value)
    {
        if (type.IsEnum)
        {
            var names = Enum.GetNames(type);
            return names.Any(n => n.Equals(value.Trim(), StringComparison.OrdinalIgnoreCase))
                ? null
                : string.Join(" or ", names.Select(n => n.ToLowerInvariant()));
        }

        if (type == typeof(string) || !(type.IsPrimitive || type == typeof(decimal) || type == typeof(TimeSpan) || type == typeof(DateTimeOffset)))
        {
            return null;
        }

        try
        {
            TypeDescriptor.GetConverter(type).ConvertFromString(null, CultureInfo.InvariantCulture, value);
            return null;
        }
        catch (Exception e) when (e is FormatException or ArgumentException or OverflowException || e.InnerException is FormatException or OverflowException)
        {
            return type == typeof(TimeSpan) ? "a duration like 00:05:00" : type == typeof(bool) ? "true or false" : $"a {Kind(type)}";
        }
    }

    private static string Kind(Type type) =>
        type == typeof(double) || type == typeof(float) || type == typeof(decimal) ? "number"
        : type == typeof(DateTimeOffset) ? "date and time like 2026-01-01T00:00:00Z"
        : "whole number";
}
