using System.Collections.Frozen;
using Microsoft.CodeAnalysis;

namespace Naeural.Actors.Plugins.CustomCode;

/// <summary>
/// What custom code may use: an explicit list of types (by metadata name), each wholly or with members refused, and the
/// reasons given for what is refused. Everything not listed is refused, with a category named after its namespace.
/// The members refused on listed types are those that allocate in proportion to an argument, run a whole collection
/// through hashing or serialization in one unchecked library call, reach shared state, or reflect.
/// </summary>
internal static class CodeAllowList
{
    public const string Proportional = "allocates in proportion to an argument";
    public const string BulkHashing = "hashes a whole collection in one unchecked call; use a loop or the ...By variant with a key lambda";
    public const string WholeTree = "walks or serializes a whole JSON tree in one unchecked call; emit the node instead";
    public const string Reflection = "reflection";
    public const string NodeClock = "use plugin.Now, the node's clock";

    /// <summary>The types whose <c>ToString</c> and interpolation are allowed: values that format to bounded text.</summary>
    public static readonly FrozenSet<string> Formattable = new[]
    {
        "System.Boolean", "System.Char", "System.SByte", "System.Byte", "System.Int16", "System.UInt16", "System.Int32",
        "System.UInt32", "System.Int64", "System.UInt64", "System.Single", "System.Double", "System.Decimal", "System.String",
        "System.DateTime", "System.DateTimeOffset", "System.TimeSpan", "System.Enum",
    }.ToFrozenSet();

    /// <summary>The types a JSON value may wrap (the type argument of <c>JsonValue.Create&lt;T&gt;</c>, <c>JsonArray.Add&lt;T&gt;</c>...).</summary>
    public static readonly FrozenSet<string> JsonValueTypes = new[]
    {
        "System.Boolean", "System.Char", "System.SByte", "System.Byte", "System.Int16", "System.UInt16", "System.Int32",
        "System.UInt32", "System.Int64", "System.UInt64", "System.Single", "System.Double", "System.Decimal", "System.String",
        "System.DateTime", "System.DateTimeOffset", "System.Text.Json.Nodes.JsonNode", "System.Text.Json.Nodes.JsonObject",
        "System.Text.Json.Nodes.JsonArray", "System.Text.Json.Nodes.JsonValue",
    }.ToFrozenSet();

    /// <summary>Interfaces a variable may have as its type: none of them can hold a lazy LINQ chain.</summary>
    public static readonly FrozenSet<string> StorableInterfaces = new[] { "System.Linq.IGrouping`2", "System.Linq.ILookup`2" }.ToFrozenSet();

    public static readonly FrozenSet<string> JsonNodeTypes = new[]
    {
        "System.Text.Json.Nodes.JsonNode", "System.Text.Json.Nodes.JsonObject", "System.Text.Json.Nodes.JsonArray", "System.Text.Json.Nodes.JsonValue",
    }.ToFrozenSet();

    public static readonly FrozenSet<string> ExceptionTypes = new[]
    {
        "System.Exception", "System.InvalidOperationException", "System.ArgumentException", "System.ArgumentOutOfRangeException",
        "System.ArgumentNullException", "System.FormatException", "System.OverflowException", "System.ArithmeticException",
        "System.DivideByZeroException", "System.IndexOutOfRangeException", "System.NotSupportedException",
        "System.NullReferenceException", "System.InvalidCastException", "System.Collections.Generic.KeyNotFoundException",
    }.ToFrozenSet();

    /// <summary>Names that are refused with a category even where they don't resolve (their assembly isn't referenced).</summary>
    private static readonly FrozenDictionary<string, string> KnownNames = new Dictionary<string, string>
    {
        ["File"] = "file system", ["Directory"] = "file system", ["Path"] = "file system", ["FileInfo"] = "file system",
        ["DirectoryInfo"] = "file system", ["FileStream"] = "file system", ["StreamReader"] = "file system",
        ["StreamWriter"] = "file system", ["Stream"] = "file system", ["MemoryStream"] = "file system",
        ["HttpClient"] = "network", ["WebClient"] = "network", ["WebRequest"] = "network", ["Socket"] = "network",
        ["TcpClient"] = "network", ["TcpListener"] = "network", ["UdpClient"] = "network", ["Dns"] = "network",
        ["Process"] = "processes", ["ProcessStartInfo"] = "processes",
        ["Thread"] = "threads and tasks", ["ThreadPool"] = "threads and tasks", ["Task"] = "threads and tasks",
        ["ValueTask"] = "threads and tasks", ["Parallel"] = "threads and tasks", ["Timer"] = "threads and tasks",
        ["Monitor"] = "threads and tasks", ["Mutex"] = "threads and tasks", ["Semaphore"] = "threads and tasks",
        ["SemaphoreSlim"] = "threads and tasks", ["Interlocked"] = "threads and tasks", ["Volatile"] = "threads and tasks",
        ["CancellationTokenSource"] = "threads and tasks",
        ["Assembly"] = Reflection, ["MethodInfo"] = Reflection, ["PropertyInfo"] = Reflection, ["FieldInfo"] = Reflection,
        ["BindingFlags"] = Reflection, ["Expression"] = Reflection, ["AssemblyLoadContext"] = Reflection,
        ["Marshal"] = "native interop", ["DllImport"] = "native interop", ["DllImportAttribute"] = "native interop",
        ["NativeLibrary"] = "native interop", ["GCHandle"] = "native interop",
        ["Unsafe"] = "unsafe memory access", ["MemoryMarshal"] = "unsafe memory access", ["CollectionsMarshal"] = "unsafe memory access",
        ["Console"] = "console", ["Regex"] = "regular expressions (unbounded matching time)",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>Namespaces and types refused with the reason, longest prefix first.</summary>
    private static readonly (string Prefix, string Category)[] Categories =
    [
        ("System.Diagnostics.Process", "processes"),
        ("System.Runtime.InteropServices", "native interop"),
        ("System.Runtime.CompilerServices", "unsafe memory access"),
        ("System.Runtime.Loader", Reflection),
        ("System.Text.RegularExpressions", "regular expressions (unbounded matching time)"),
        ("System.Linq.Expressions", Reflection),
        ("System.Threading", "threads and tasks"),
        ("System.Reflection", Reflection),
        ("System.Diagnostics", "diagnostics"),
        ("System.Environment", "process environment"),
        ("System.AppDomain", "process environment"),
        ("System.AppContext", "process environment"),
        ("System.Activator", Reflection),
        ("System.Type", Reflection),
        ("System.GC", "garbage collector"),
        ("System.Console", "console"),
        ("System.Security", "security"),
        ("System.Resources", "file system"),
        ("System.IO", "file system"),
        ("System.Net", "network"),
        ("Microsoft.Win32", "process environment"),
        ("Naeural", "node internals"),
    ];

    /// <summary>The types custom code may name, with what each refuses (declared after the sets it is built from).</summary>
    public static readonly FrozenDictionary<string, TypeRule> Types = BuildTypes();

    /// <summary>Why a (resolved or unresolved) dotted name is refused; null if nothing specific is known about it.</summary>
    public static string? CategoryOf(string dottedName)
    {
        var name = dottedName.StartsWith("global::", StringComparison.Ordinal) ? dottedName["global::".Length..] : dottedName;
        foreach (var (prefix, category) in Categories)
        {
            if (name == prefix || name.StartsWith(prefix + ".", StringComparison.Ordinal) || name.StartsWith(prefix + "`", StringComparison.Ordinal))
            {
                return category;
            }
        }

        var first = name.Split('.', '<', '(')[0];
        return KnownNames.GetValueOrDefault(first);
    }

    /// <summary>The namespace-qualified metadata name of a type's definition: <c>System.Collections.Generic.List`1</c>.</summary>
    public static string KeyOf(INamedTypeSymbol type)
    {
        var definition = type.OriginalDefinition;
        if (definition.ContainingType is { } outer)
        {
            return KeyOf(outer) + "+" + definition.MetadataName;
        }

        var ns = definition.ContainingNamespace;
        return ns is null || ns.IsGlobalNamespace ? definition.MetadataName : ns.ToDisplayString() + "." + definition.MetadataName;
    }

    private static FrozenDictionary<string, TypeRule> BuildTypes()
    {
        var types = new Dictionary<string, TypeRule>(StringComparer.Ordinal);

        void Add(string key, TypeRule? rule = null) => types[key] = rule is null
            ? TypeRule.Open
            : new TypeRule(rule.Only?.ToFrozenSet(StringComparer.Ordinal), rule.Denied?.ToFrozenDictionary(StringComparer.Ordinal));

        foreach (var primitive in new[]
                 {
                     "System.Boolean", "System.Char", "System.SByte", "System.Byte", "System.Int16", "System.UInt16",
                     "System.Int32", "System.UInt32", "System.Int64", "System.UInt64", "System.Single", "System.Double",
                     "System.Decimal", "System.Void", "System.Math", "System.MathF", "System.Index", "System.Range", "System.Nullable`1",
                     "System.StringComparison", "System.StringSplitOptions", "System.MidpointRounding", "System.DayOfWeek",
                     "System.Text.Json.JsonValueKind", "System.Text.Json.Nodes.JsonNodeOptions",
                     "System.Collections.Generic.KeyValuePair", "System.Collections.Generic.KeyValuePair`2",
                     "System.ValueTuple", "System.ValueTuple`1", "System.ValueTuple`2", "System.ValueTuple`3", "System.ValueTuple`4",
                     "System.ValueTuple`5", "System.ValueTuple`6", "System.ValueTuple`7", "System.ValueTuple`8",
                     "System.IComparable`1", "System.IEquatable`1", "System.IDisposable",
                     "System.Collections.IEnumerable", "System.Collections.IEnumerator",
                     "System.Collections.Generic.IEnumerable`1", "System.Collections.Generic.IEnumerator`1",
                     "System.Collections.Generic.ICollection`1", "System.Collections.Generic.IList`1",
                     "System.Collections.Generic.IReadOnlyCollection`1", "System.Collections.Generic.IReadOnlyList`1",
                     "System.Collections.Generic.IDictionary`2", "System.Collections.Generic.IReadOnlyDictionary`2",
                     "System.Linq.IGrouping`2", "System.Linq.ILookup`2", "System.Linq.IOrderedEnumerable`1",
                     "System.Span`1", "System.ReadOnlySpan`1",
                     typeof(CustomCodeFrame).FullName!, typeof(CustomCodeConfig).FullName!, typeof(CustomCodeApi).FullName!,
                 })
        {
            Add(primitive, new TypeRule(Denied: new Dictionary<string, string>
            {
                ["GetPinnableReference"] = "unsafe memory access",
                ["TryFormat"] = "writes into spans; use ToString",
            }));
        }

        Add("System.Object", new TypeRule(Denied: new Dictionary<string, string>
        {
            ["GetType"] = Reflection, ["MemberwiseClone"] = Reflection, ["Finalize"] = "finalizers",
        }));
        Add("System.ValueType", new TypeRule(Only: ["Equals", "GetHashCode", "ToString"]));
        Add("System.Enum", new TypeRule(Only: ["ToString", "HasFlag", "CompareTo", "Equals", "GetHashCode"]));
        Add("System.Delegate", new TypeRule(Only: ["op_Equality", "op_Inequality", "Equals", "GetHashCode"]));
        Add("System.MulticastDelegate", new TypeRule(Only: ["op_Equality", "op_Inequality", "Equals", "GetHashCode"]));
        foreach (var @delegate in new[]
                 {
                     "System.Action", "System.Action`1", "System.Action`2", "System.Action`3", "System.Action`4",
                     "System.Func`1", "System.Func`2", "System.Func`3", "System.Func`4", "System.Func`5",
                     "System.Predicate`1", "System.Comparison`1",
                 })
        {
            Add(@delegate, new TypeRule(Only: ["Invoke", ".ctor"]));
        }

        Add("System.String", new TypeRule(Denied: new Dictionary<string, string>
        {
            ["PadLeft"] = Proportional, ["PadRight"] = Proportional, ["Create"] = Proportional,
            ["Join"] = "concatenates a whole collection in one unchecked call; use a loop",
            ["Format"] = "format strings can pad without bound; use an interpolated string",
            ["ReplaceLineEndings"] = "can grow its result by a product of its arguments",
            ["Intern"] = "the process-wide string pool", ["IsInterned"] = "the process-wide string pool",
            ["GetPinnableReference"] = "unsafe memory access", ["TryFormat"] = "writes into spans; use ToString",
            ["CopyTo"] = "writes into spans", ["GetEnumerator"] = "use foreach",
        }));
        Add("System.DateTime", new TypeRule(Denied: new Dictionary<string, string>
        {
            ["Now"] = NodeClock, ["UtcNow"] = NodeClock, ["Today"] = NodeClock, ["TryFormat"] = "writes into spans; use ToString",
        }));
        Add("System.DateTimeOffset", new TypeRule(Denied: new Dictionary<string, string>
        {
            ["Now"] = NodeClock, ["UtcNow"] = NodeClock, ["TryFormat"] = "writes into spans; use ToString",
        }));
        Add("System.TimeSpan", new TypeRule(Denied: new Dictionary<string, string> { ["TryFormat"] = "writes into spans; use ToString" }));
        Add("System.Random", new TypeRule(Denied: new Dictionary<string, string> { ["GetItems"] = Proportional, ["GetHexString"] = Proportional, ["GetString"] = Proportional }));
        Add("System.Array", new TypeRule(Denied: new Dictionary<string, string>
        {
            ["Resize"] = Proportional, ["CreateInstance"] = Reflection, ["CreateInstanceFromArrayType"] = Reflection,
            ["GetValue"] = Reflection, ["SetValue"] = Reflection, ["Clone"] = "returns object; use ToArray()",
            ["Initialize"] = Reflection, ["AsReadOnly"] = "wraps the array; use it directly",
        }));

        var capacity = new Dictionary<string, string>
        {
            ["Capacity"] = Proportional, ["EnsureCapacity"] = Proportional, ["TrimExcess"] = "not needed in custom code",
        };
        Add("System.Collections.Generic.List`1", new TypeRule(Denied: capacity));
        Add("System.Collections.Generic.Queue`1", new TypeRule(Denied: capacity));
        Add("System.Collections.Generic.Stack`1", new TypeRule(Denied: capacity));
        Add("System.Collections.Generic.Dictionary`2", new TypeRule(Denied: capacity));
        Add("System.Collections.Generic.HashSet`1", new TypeRule(Denied: new Dictionary<string, string>(capacity)
        {
            ["UnionWith"] = BulkHashing, ["IntersectWith"] = BulkHashing, ["ExceptWith"] = BulkHashing,
            ["SymmetricExceptWith"] = BulkHashing, ["IsSubsetOf"] = BulkHashing, ["IsSupersetOf"] = BulkHashing,
            ["IsProperSubsetOf"] = BulkHashing, ["IsProperSupersetOf"] = BulkHashing, ["Overlaps"] = BulkHashing,
            ["SetEquals"] = BulkHashing, ["CreateSetComparer"] = BulkHashing,
        }));

        Add("System.Collections.Generic.CollectionExtensions", new TypeRule(Only: ["GetValueOrDefault", "TryAdd", "Remove"]));
        // Enumerable, member by member (a new one is refused until decided here). Every sequence a call consumes is wrapped
        // so that each element pulled checks the budget, every sort gets a comparer that checks it, and every delegate is a
        // lambda that checks it (method groups are refused): so these run at most one element's, one comparison's or one
        // lambda call's work between two checks, whatever they combine (a join's pairs, a sort, a maximum over long text).
        Add("System.Linq.Enumerable", new TypeRule(Only:
        [
            // pull each element once, or once per lambda call
            "Aggregate", "AggregateBy", "All", "Any", "Append", "AsEnumerable", "Average", "Cast", "Concat", "Contains", "Count",
            "CountBy", "DefaultIfEmpty", "ElementAt", "ElementAtOrDefault", "Empty", "First", "FirstOrDefault", "Index", "Last",
            "LastOrDefault", "LongCount", "Max", "MaxBy", "Min", "MinBy", "OfType", "Prepend", "Reverse", "Select", "SelectMany",
            "SequenceEqual", "Single", "SingleOrDefault", "Skip", "SkipLast", "SkipWhile", "Sum", "Take", "TakeLast", "TakeWhile",
            "ToArray", "ToList", "TryGetNonEnumeratedCount", "Where", "Zip",
            // hash by a key lambda (checked per element); pairs of a join go through the result lambda (checked per pair)
            "DistinctBy", "ExceptBy", "IntersectBy", "UnionBy", "GroupBy", "GroupJoin", "Join", "LeftJoin", "RightJoin", "ToDictionary", "ToLookup",
            // sorts: the instrumenter passes a comparer that checks the budget on every comparison
            "Order", "OrderDescending", "OrderBy", "OrderByDescending", "ThenBy", "ThenByDescending",
            // refused, with their reasons below
            "Range", "Repeat", "Sequence", "InfiniteSequence", "Chunk", "Distinct", "ToHashSet", "Union", "Intersect", "Except", "AsQueryable",
        ], Denied: new Dictionary<string, string>
        {
            ["Range"] = Proportional, ["Repeat"] = Proportional, ["Sequence"] = Proportional, ["InfiniteSequence"] = Proportional,
            ["Chunk"] = Proportional, ["Distinct"] = BulkHashing, ["ToHashSet"] = BulkHashing, ["Union"] = BulkHashing,
            ["Intersect"] = BulkHashing, ["Except"] = BulkHashing, ["AsQueryable"] = Reflection,
        }));

        var json = new Dictionary<string, string>
        {
            ["DeepClone"] = WholeTree, ["DeepEquals"] = WholeTree, ["GetPath"] = WholeTree, ["Root"] = WholeTree,
            ["ToJsonString"] = WholeTree, ["WriteTo"] = WholeTree, ["ParseAsync"] = "threads and tasks",
            ["Parse"] = "a parsed value keeps its whole document alive, out of the state's measure; build JSON with new JsonObject()",
            ["Create"] = "use new JsonObject(), new JsonArray() or a value", // the generic and JsonElement overloads are refused below
        };
        Add("System.Text.Json.Nodes.JsonNode", new TypeRule(Denied: json));
        Add("System.Text.Json.Nodes.JsonObject", new TypeRule(Denied: json));
        Add("System.Text.Json.Nodes.JsonArray", new TypeRule(Denied: json));
        Add("System.Text.Json.Nodes.JsonValue", new TypeRule(Denied: new Dictionary<string, string>(json) { ["Create"] = "" }));

        foreach (var exception in ExceptionTypes)
        {
            Add(exception, new TypeRule(Only: [".ctor", "Message"]));
        }

        return types.ToFrozenDictionary(StringComparer.Ordinal);
    }
}

/// <summary>
/// What one allowed type refuses: members not in <paramref name="Only"/> (when given) and the members in
/// <paramref name="Denied"/> (name: reason; an empty reason means "allowed by name, checked by overload").
/// </summary>
internal sealed record TypeRule(IReadOnlyCollection<string>? Only = null, IReadOnlyDictionary<string, string>? Denied = null)
{
    public static TypeRule Open { get; } = new();
}
