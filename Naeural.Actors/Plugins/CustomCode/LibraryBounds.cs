using Microsoft.CodeAnalysis;

namespace Naeural.Actors.Plugins.CustomCode;

/// <summary>
/// The library calls whose work in one call is not bounded by the budget's checks, and what is done about each. The
/// instrumenter wraps every sequence a library call consumes so that each element pulled checks the budget, and gives every
/// sort a comparer that checks it (<see cref="CustomCodeBudget.Each{T}"/>, <see cref="CustomCodeBudget.Comparer{T}"/>); what
/// is left are instance methods that walk their own storage comparing elements (<c>List.IndexOf</c>...): cheap per element
/// for numbers, but for text each comparison may walk a string of millions of characters, and a list may hold a million
/// references to it. Those are refused on elements with costly equality.
/// </summary>
internal static class LibraryBounds
{
    public const string CostlyScan = "compares whole strings one after another in one unchecked call; use a HashSet<string>, a Dictionary or a loop";

    /// <summary>The sorting methods of <c>Enumerable</c> that take a comparer in an overload: the instrumenter passes one that checks the budget.</summary>
    public static readonly IReadOnlySet<string> Orderings = new HashSet<string>(StringComparer.Ordinal)
    {
        "Order", "OrderDescending", "OrderBy", "OrderByDescending", "ThenBy", "ThenByDescending",
    };

    /// <summary>The element a linear-scan instance method compares (the T of <c>List&lt;T&gt;.IndexOf</c>), or null for other methods.</summary>
    public static ITypeSymbol? ScannedElement(string key, IMethodSymbol method) => (key, method.Name) switch
    {
        ("System.Collections.Generic.List`1", "Contains" or "IndexOf" or "LastIndexOf" or "Remove")
            or ("System.Collections.Generic.Queue`1" or "System.Collections.Generic.Stack`1", "Contains")
            or ("System.Collections.Generic.IList`1", "IndexOf")
            or ("System.Collections.Generic.ICollection`1", "Contains" or "Remove") => method.ContainingType.TypeArguments[0],
        ("System.Collections.Generic.Dictionary`2" or "System.Collections.Generic.IDictionary`2", "ContainsValue") => method.ContainingType.TypeArguments[1],
        ("System.Array", "IndexOf" or "LastIndexOf") => method.IsGenericMethod ? method.TypeArguments[0] : method.Parameters[1].Type,
        _ => null,
    };

    /// <summary>Whether comparing two values may take more than constant time: text, or a value holding text (or anything, as object).</summary>
    public static bool HasCostlyEquality(ITypeSymbol type) => type switch
    {
        { SpecialType: SpecialType.System_String or SpecialType.System_Object } => true,
        INamedTypeSymbol { IsValueType: true, IsGenericType: true } named => named.TypeArguments.Any(HasCostlyEquality),
        _ => false,
    };

    /// <summary><c>Array.Sort(T[])</c> (given a checked comparer by the instrumenter) and <c>Array.Sort(T[], Comparison&lt;T&gt;)</c> (a lambda).</summary>
    public static bool IsCheckedArraySort(IMethodSymbol method) => method.IsGenericMethod && method.Parameters switch
    {
        [{ Type: IArrayTypeSymbol }] => true,
        [{ Type: IArrayTypeSymbol }, { Type.OriginalDefinition: { MetadataName: "Comparison`1" } }] => true,
        _ => false,
    };
}
