using System.Collections.Frozen;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace Naeural.Actors.Plugins.CustomCode;

/// <summary>One thing refused in custom code: where (a position in the wrapped source) and what.</summary>
internal sealed record CodeProblem(int Position, string Message);

/// <summary>
/// Checks the user's block (inside its wrapper, uninstrumented) against the sandbox rules: first the syntax that is never
/// allowed (unsafe, pointers, goto, lock, async, attributes, typeof, reserved <c>__</c> names...), then every operation of the
/// semantic model: the member it uses, the type it produces, the conversions it makes and the types it stores must all be
/// on <see cref="CodeAllowList"/>.
/// </summary>
internal sealed partial class CodeAnalyzer
{
    /// <summary>The wrapper's parameters: what the code sees, which it may use but not reassign.</summary>
    public static readonly FrozenSet<string> ApiParameters = new[] { "input", "state", "config", "plugin" }.ToFrozenSet(StringComparer.Ordinal);

    private const int MaxAlignment = 1000;
    private readonly SemanticModel _model;
    private readonly List<CodeProblem> _problems = [];
    private readonly HashSet<(int, string)> _seen = [];

    private CodeAnalyzer(SemanticModel model) => _model = model;

    public static IReadOnlyList<CodeProblem> Analyze(BlockSyntax block, SemanticModel model)
    {
        var analyzer = new CodeAnalyzer(model);
        analyzer.CheckSyntax(block);
        analyzer.CheckDeclarations(block);
        if (model.GetOperation(block) is { } operation)
        {
            analyzer.Visit(operation);
        }

        return analyzer._problems;
    }

    private void Report(SyntaxNode node, string message) => Report(node.SpanStart, message);

    private void Report(int position, string message)
    {
        if (_seen.Add((position, message)))
        {
            _problems.Add(new CodeProblem(position, message));
        }
    }

    private void CheckSyntax(BlockSyntax block)
    {
        foreach (var node in block.DescendantNodes(descendIntoTrivia: true))
        {
            var refused = node switch
            {
                UnsafeStatementSyntax => "unsafe code is not allowed in custom code",
                PointerTypeSyntax or FunctionPointerTypeSyntax => "pointers are not allowed in custom code",
                FixedStatementSyntax => "fixed is not allowed in custom code (pointers)",
                StackAllocArrayCreationExpressionSyntax or ImplicitStackAllocArrayCreationExpressionSyntax => "stackalloc is not allowed in custom code",
                GotoStatementSyntax => "goto is not allowed in custom code",
                LabeledStatementSyntax => "labels are not allowed in custom code",
                LockStatementSyntax => "lock is not allowed in custom code (threads)",
                FinallyClauseSyntax => "finally is not allowed in custom code (nothing needs releasing; use catch)",
                AwaitExpressionSyntax => "await is not allowed in custom code (threads and tasks)",
                YieldStatementSyntax => "iterators (yield) are not allowed in custom code",
                AttributeListSyntax => "attributes are not allowed in custom code",
                TypeOfExpressionSyntax => "typeof is not allowed in custom code (reflection)",
                SizeOfExpressionSyntax => "sizeof is not allowed in custom code",
                QueryExpressionSyntax => "query expressions are not allowed in custom code; use method calls (list.Where(x => ...))",
                DirectiveTriviaSyntax => "preprocessor directives are not allowed in custom code",
                LocalFunctionStatementSyntax { TypeParameterList: not null } => "generic local functions are not allowed in custom code",
                ArrayCreationExpressionSyntax { Type.RankSpecifiers: [{ Rank: > 2 }, ..] } => "arrays of more than 2 dimensions are not allowed in custom code",
                _ => null,
            };
            if (refused is not null)
            {
                Report(node, refused);
            }
        }

        foreach (var token in block.DescendantTokens(descendIntoTrivia: true))
        {
            var refused = token.Kind() switch
            {
                SyntaxKind.UnsafeKeyword => "unsafe code is not allowed in custom code",
                SyntaxKind.ExternKeyword => "extern is not allowed in custom code (native interop)",
                SyntaxKind.AsyncKeyword when token.Parent is LocalFunctionStatementSyntax or AnonymousFunctionExpressionSyntax => "async is not allowed in custom code (threads and tasks)",
                SyntaxKind.StaticKeyword when token.Parent is LocalFunctionStatementSyntax or AnonymousFunctionExpressionSyntax => "static lambdas and local functions are not supported in custom code; drop 'static'",
                SyntaxKind.UsingKeyword => "using is not allowed in custom code (nothing in custom code needs disposing)",
                SyntaxKind.ArgListKeyword => "__arglist is not allowed in custom code",
                SyntaxKind.MakeRefKeyword => "__makeref is not allowed in custom code",
                SyntaxKind.RefTypeKeyword => "__reftype is not allowed in custom code",
                SyntaxKind.RefValueKeyword => "__refvalue is not allowed in custom code",
                SyntaxKind.IdentifierToken when token.ValueText.StartsWith("__", StringComparison.Ordinal) => $"'{token.ValueText}': names starting with __ are reserved",
                _ => null,
            };
            if (refused is not null)
            {
                Report(token.SpanStart, refused);
            }
        }
    }

    /// <summary>Every variable, parameter and local function the code declares: its type must be storable.</summary>
    private void CheckDeclarations(BlockSyntax block)
    {
        foreach (var node in block.DescendantNodes())
        {
            var symbol = node switch
            {
                VariableDeclaratorSyntax or SingleVariableDesignationSyntax or ForEachStatementSyntax or CatchDeclarationSyntax
                    or ParameterSyntax or LocalFunctionStatementSyntax => _model.GetDeclaredSymbol(node),
                _ => null,
            };
            switch (symbol)
            {
                case ILocalSymbol local:
                    CheckType(node, local.Type, storage: true);
                    break;
                case IParameterSymbol parameter:
                    CheckType(node, parameter.Type, storage: true);
                    break;
                case IMethodSymbol function:
                    CheckType(node, function.ReturnType, storage: true);
                    break;
            }
        }
    }

    private void Visit(IOperation operation)
    {
        if (operation is INameOfOperation or IArgumentOperation { ArgumentKind: ArgumentKind.DefaultValue })
        {
            return; // nameof runs nothing; default arguments are the callee's own constants
        }

        if (operation.Type is { } type && operation is not (IInvalidOperation or IInstanceReferenceOperation)) // the implicit receiver of a local function
        {
            CheckType(operation.Syntax, type, storage: false);
        }

        switch (operation)
        {
            case IInvocationOperation invocation:
                CheckMember(invocation.Syntax, invocation.TargetMethod, invocation.Arguments);
                break;
            case IObjectCreationOperation { Constructor: { } constructor } creation:
                CheckMember(creation.Syntax, constructor, creation.Arguments);
                if (creation.Type is INamedTypeSymbol created)
                {
                    foreach (var argument in created.TypeArguments)
                    {
                        CheckType(creation.Syntax, argument, storage: true);
                    }
                }

                break;
            case IDelegateCreationOperation { Target: IMethodReferenceOperation group }:
                Report(group.Syntax, $"a method group ({group.Syntax}) can't be passed as a delegate in custom code (calls made through it would not check the budget); write a lambda instead, e.g. x => {group.Method.Name}(x)");
                break;
            case IMemberReferenceOperation reference:
                CheckMember(reference.Syntax, reference.Member, []);
                break;
            case IConversionOperation conversion:
                CheckConversion(conversion);
                break;
            case IBinaryOperation { OperatorMethod: { } method }:
                CheckMember(operation.Syntax, method, []);
                break;
            case IUnaryOperation { OperatorMethod: { } method }:
                CheckMember(operation.Syntax, method, []);
                break;
            case ICompoundAssignmentOperation { OperatorMethod: { } method }:
                CheckMember(operation.Syntax, method, []);
                break;
            case ICompoundAssignmentOperation { OperatorKind: BinaryOperatorKind.Add, Type.SpecialType: SpecialType.System_String, Value.Type: { } added }
                when !IsFormattable(added) && added.TypeKind != TypeKind.Error:
                Report(operation.Syntax, $"adding {Display(added)} to text is not allowed in custom code (only numbers, text, booleans and times convert to text)");
                break;
            case IIncrementOrDecrementOperation { OperatorMethod: { } method }:
                CheckMember(operation.Syntax, method, []);
                break;
            case IDynamicInvocationOperation or IDynamicMemberReferenceOperation or IDynamicObjectCreationOperation or IDynamicIndexerAccessOperation:
                Report(operation.Syntax, "dynamic is not allowed in custom code");
                break;
            case IAnonymousObjectCreationOperation:
                Report(operation.Syntax, "anonymous types are not allowed in custom code; use a tuple or a JsonObject");
                break;
            case IInterpolationOperation interpolation:
                CheckInterpolation(interpolation);
                break;
            case ICatchClauseOperation { ExceptionType: { } caught } clause:
                CheckType(clause.Syntax, caught, storage: false);
                break;
            case IIsTypeOperation isType:
                CheckType(isType.Syntax, isType.TypeOperand, storage: false);
                break;
            case ITypePatternOperation pattern:
                CheckType(pattern.Syntax, pattern.MatchedType, storage: false);
                break;
            case IDeclarationPatternOperation { MatchedType: { } matched } declaration:
                CheckType(declaration.Syntax, matched, storage: false);
                break;
            case IAssignmentOperation { Target: IParameterReferenceOperation { Parameter.Name: var name } } assignment when ApiParameters.Contains(name):
                Report(assignment.Syntax, $"'{name}' can't be reassigned (change the contents of state; it is the same object every call)");
                break;
            case IArrayCreationOperation { DimensionSizes.Length: > 2 } array:
                Report(array.Syntax, "arrays of more than 2 dimensions are not allowed in custom code");
                break;
            case IFunctionPointerInvocationOperation or IAddressOfOperation:
                Report(operation.Syntax, "pointers are not allowed in custom code");
                break;
        }

        foreach (var child in operation.ChildOperations)
        {
            Visit(child);
        }
    }

    private void CheckConversion(IConversionOperation conversion)
    {
        if (conversion.OperatorMethod is { } method)
        {
            CheckMember(conversion.Syntax, method, []);
        }

        // Text concatenation converts its operands to object and calls ToString on them: only values that format to bounded text.
        var concatenated = conversion.Parent is IBinaryOperation { OperatorKind: BinaryOperatorKind.Add, Type.SpecialType: SpecialType.System_String }
                           || conversion.Parent is IArgumentOperation { Parent: IInvocationOperation { TargetMethod: { Name: "Concat", ContainingType.SpecialType: SpecialType.System_String } } };
        if (concatenated && conversion.Type is { SpecialType: SpecialType.System_Object } && conversion.Operand.Type is { } from
            && !IsFormattable(from) && from.TypeKind != TypeKind.Error)
        {
            Report(conversion.Syntax, $"adding {Display(from)} to text is not allowed in custom code (only numbers, text, booleans and times convert to text)");
        }
    }

    private void CheckInterpolation(IInterpolationOperation interpolation)
    {
        if (interpolation.Expression.Type is { } type && !IsFormattable(type))
        {
            Report(interpolation.Syntax, $"interpolating {Display(type)} is not allowed in custom code (only numbers, text, booleans and times)");
        }

        if (interpolation.Alignment?.ConstantValue is { HasValue: true, Value: int alignment } && Math.Abs((long)alignment) > MaxAlignment)
        {
            Report(interpolation.Syntax, $"an alignment of {alignment} is not allowed in custom code (at most {MaxAlignment})");
        }

        if (interpolation.FormatString is { ConstantValue: { HasValue: true, Value: string format } } && LongNumber().IsMatch(format))
        {
            Report(interpolation.Syntax, $"the format '{format}' is not allowed in custom code (precision or width of at most 2 digits)");
        }
    }

    private void CheckMember(SyntaxNode at, ISymbol member, IReadOnlyList<IArgumentOperation> arguments)
    {
        if (member.ContainingType is not { } containing || member is IMethodSymbol { MethodKind: MethodKind.LocalFunction or MethodKind.AnonymousFunction })
        {
            return; // the code's own functions: their bodies are checked where they are written
        }

        if (member is IMethodSymbol { ReducedFrom: { } reduced })
        {
            member = reduced;
        }

        var key = CodeAllowList.KeyOf(containing);
        var rule = RuleFor(containing, key);
        var name = member is IMethodSymbol { MethodKind: MethodKind.Constructor } ? ".ctor" : member.Name;
        var display = $"{Display(containing.OriginalDefinition)}.{(name == ".ctor" ? "ctor" : name)}";
        if (rule is null)
        {
            Report(at, $"{Display(containing.OriginalDefinition)} is not allowed in custom code ({CodeAllowList.CategoryOf(key) ?? "not on the custom code allow-list"})");
            return;
        }

        if (rule.Only is { } only && !only.Contains(name))
        {
            Report(at, $"{display} is not allowed in custom code ({OnlyReason(key)})");
            return;
        }

        if (rule.Denied?.GetValueOrDefault(name) is { Length: > 0 } reason)
        {
            Report(at, $"{display} is not allowed in custom code ({reason})");
            return;
        }

        if (member is not IMethodSymbol method)
        {
            return;
        }

        if (name == "ToString" && !IsFormattable(containing))
        {
            Report(at, $"{display} is not allowed in custom code (only numbers, text, booleans and times convert to text)");
            return;
        }

        foreach (var typeArgument in method.TypeArguments)
        {
            CheckType(at, typeArgument, storage: true);
        }

        if (OverloadProblem(key, method, arguments) is { } problem)
        {
            Report(at, $"{display} {problem}");
        }
    }

    /// <summary>Rules that depend on the overload and its arguments; the text after "Type.Member".</summary>
    private static string? OverloadProblem(string key, IMethodSymbol method, IReadOnlyList<IArgumentOperation> arguments)
    {
        var parameters = method.Parameters;
        var isConstructor = method.MethodKind == MethodKind.Constructor;
        if (parameters.Any(p => IsComparer(p.Type)))
        {
            return "with a comparer is not allowed in custom code (its comparisons would not check the budget; use the overload without one, or a lambda)";
        }

        if (LibraryBounds.ScannedElement(key, method) is { } element && LibraryBounds.HasCostlyEquality(element))
        {
            return $"on {Display(element)} elements is not allowed in custom code ({LibraryBounds.CostlyScan})";
        }

        switch (key)
        {
            case "System.Array" when method.Name == "Sort" && !LibraryBounds.IsCheckedArraySort(method):
                return "with these arguments is not allowed in custom code (sorts without checking the budget); use Array.Sort(array) or Array.Sort(array, (a, b) => ...)";
            case var _ when CodeAllowList.ExceptionTypes.Contains(key) && isConstructor
                            && parameters is not ([] or [{ Type.SpecialType: SpecialType.System_String }]):
                return "with these arguments is not allowed in custom code (exceptions offer new() and new(message))";
            case "System.String" when isConstructor && parameters is [{ Type.SpecialType: SpecialType.System_Char }, { Type.SpecialType: SpecialType.System_Int32 }]:
                return $"(char, count) is not allowed in custom code ({CodeAllowList.Proportional})";
            case "System.String" when method.Name == "Replace" && !parameters.All(p => p.Type.SpecialType == SpecialType.System_Char):
                return "with strings is not allowed in custom code (can grow its result by a product of its arguments); Replace(char, char) is";
            case "System.String" when method.Name == "Concat" && parameters.Any(p => p.Type is IArrayTypeSymbol || p.Type.SpecialType != SpecialType.System_String && p.Type.SpecialType != SpecialType.System_Object):
                return "of a collection is not allowed in custom code (concatenates a whole collection in one unchecked call); use a loop";
            case "System.String" when method.Name is "Trim" or "TrimStart" or "TrimEnd" or "IndexOfAny" or "LastIndexOfAny" or "Split"
                                      && parameters.Any(p => p.Type is IArrayTypeSymbol { ElementType.SpecialType: SpecialType.System_Char }):
                return "with a set of chars is not allowed in custom code (takes time proportional to the text times the set in one call); use one char at a time";
            case "System.String" when method.Name is "IndexOf" or "LastIndexOf" or "Contains" or "Split"
                                      && arguments.Any(a => IsSearchedText(a) && !a.Value.ConstantValue.HasValue):
                return "with a non-constant string to search for is not allowed in custom code (can take quadratic time in one call); search for a constant or a char";
            case "System.Collections.Generic.List`1" or "System.Collections.Generic.Queue`1" or "System.Collections.Generic.Stack`1"
                or "System.Collections.Generic.Dictionary`2" or "System.Collections.Generic.HashSet`1"
                when isConstructor && parameters.Any(p => p.Type.SpecialType == SpecialType.System_Int32):
                return $"with a capacity is not allowed in custom code ({CodeAllowList.Proportional})";
            case "System.Collections.Generic.Dictionary`2" or "System.Collections.Generic.HashSet`1"
                when isConstructor && parameters.Any(p => p.Type.TypeKind is TypeKind.Interface or TypeKind.Array || p.Type.OriginalDefinition.Equals(method.ContainingType.OriginalDefinition, SymbolEqualityComparer.Default)):
                return $"from a collection is not allowed in custom code ({CodeAllowList.BulkHashing})";
            case "System.Linq.Enumerable" when method.Name == "ToDictionary" && !parameters.Any(p => p.Type.TypeKind == TypeKind.Delegate):
                return $"without a key selector is not allowed in custom code ({CodeAllowList.BulkHashing})";
            case "System.Text.Json.Nodes.JsonNode" or "System.Text.Json.Nodes.JsonObject" or "System.Text.Json.Nodes.JsonArray" or "System.Text.Json.Nodes.JsonValue"
                when method.IsGenericMethod && method.Name is not ("GetValue" or "TryGetValue" or "GetValues")
                     && method.TypeArguments.FirstOrDefault(t => !IsJsonValueType(t)) is { } wrapped:
                return $"<{Display(wrapped)}> is not allowed in custom code (JSON values hold numbers, text, booleans, times or JSON nodes)";
        }

        if (method.Name == "ToString" && arguments.FirstOrDefault(a => a.Parameter is { Name: "format", Type.SpecialType: SpecialType.System_String }) is { } format)
        {
            return format.Value.ConstantValue is { HasValue: true, Value: string text }
                ? LongNumber().IsMatch(text) ? $"('{text}') is not allowed in custom code (precision or width of at most 2 digits)" : null
                : "with a non-constant format is not allowed in custom code (a format can pad without bound)";
        }

        return null;
    }

    private static bool IsComparer(ITypeSymbol type) => type.OriginalDefinition.ToDisplayString() is
        "System.Collections.Generic.IComparer<T>" or "System.Collections.Generic.IEqualityComparer<T>"
        or "System.Collections.IComparer" or "System.Collections.IEqualityComparer";

    private static bool IsSearchedText(IArgumentOperation argument) =>
        argument.Parameter?.Type is { SpecialType: SpecialType.System_String } or IArrayTypeSymbol { ElementType.SpecialType: SpecialType.System_String }
        && argument.ArgumentKind != ArgumentKind.DefaultValue;

    private static string OnlyReason(string key) => key switch
    {
        _ when CodeAllowList.ExceptionTypes.Contains(key) => "exceptions offer new(), new(message) and Message",
        _ when key.StartsWith("System.Func`", StringComparison.Ordinal) || key.StartsWith("System.Action", StringComparison.Ordinal)
                                                                       || key is "System.Predicate`1" or "System.Comparison`1" => "delegates can only be invoked",
        _ => "not on the custom code allow-list",
    };

    /// <summary>A type the code uses (<paramref name="storage"/>: one it keeps in a variable, element or type argument) must be allowed.</summary>
    private void CheckType(SyntaxNode at, ITypeSymbol type, bool storage)
    {
        if (TypeProblem(type, storage) is { } problem)
        {
            Report(at, problem);
        }
    }

    private static string? TypeProblem(ITypeSymbol type, bool storage)
    {
        switch (type)
        {
            case IErrorTypeSymbol:
                return null; // the compiler reports it
            case { TypeKind: TypeKind.Dynamic }:
                return "dynamic is not allowed in custom code";
            case IPointerTypeSymbol or IFunctionPointerTypeSymbol:
                return "pointers are not allowed in custom code";
            case IArrayTypeSymbol array:
                return TypeProblem(array.ElementType, storage);
            case ITypeParameterSymbol:
                return null;
            case INamedTypeSymbol { IsAnonymousType: true }:
                return "anonymous types are not allowed in custom code; use a tuple or a JsonObject";
            case INamedTypeSymbol { IsTupleType: true } tuple:
                return tuple.TupleElements.Select(e => TypeProblem(e.Type, storage)).FirstOrDefault(p => p is not null);
            case INamedTypeSymbol named:
                var key = CodeAllowList.KeyOf(named);
                if (RuleFor(named, key) is null)
                {
                    return $"{Display(named.OriginalDefinition)} is not allowed in custom code ({CodeAllowList.CategoryOf(key) ?? "not on the custom code allow-list"})";
                }

                if (storage && named.SpecialType == SpecialType.System_Object)
                {
                    return "object is not allowed as a variable or element type in custom code; use a specific type";
                }

                if (storage && named.TypeKind == TypeKind.Interface && !CodeAllowList.StorableInterfaces.Contains(key))
                {
                    return $"{Display(named)} is not allowed as a variable or element type in custom code: keep a LINQ query in one expression, or store its result with ToList() or ToArray()";
                }

                return named.TypeArguments.Select(t => TypeProblem(t, storage)).FirstOrDefault(p => p is not null);
            default:
                return $"{Display(type)} is not allowed in custom code";
        }
    }

    /// <summary>The rule of an allowed type; nested enumerators and key/value collections of allowed collections are allowed.</summary>
    private static TypeRule? RuleFor(INamedTypeSymbol type, string key)
    {
        if (CodeAllowList.Types.TryGetValue(key, out var rule))
        {
            return rule;
        }

        return type.OriginalDefinition.ContainingType is { } outer
               && type.Name is "Enumerator" or "KeyCollection" or "ValueCollection"
               && RuleFor(outer, CodeAllowList.KeyOf(outer)) is not null
            ? TypeRule.Open
            : null;
    }

    private static bool IsFormattable(ITypeSymbol type) => type switch
    {
        { TypeKind: TypeKind.Enum } => true,
        INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable => IsFormattable(nullable.TypeArguments[0]),
        INamedTypeSymbol named => CodeAllowList.Formattable.Contains(CodeAllowList.KeyOf(named)),
        _ => false,
    };

    private static bool IsJsonValueType(ITypeSymbol type) => type switch
    {
        INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable => IsJsonValueType(nullable.TypeArguments[0]),
        INamedTypeSymbol named => CodeAllowList.JsonValueTypes.Contains(CodeAllowList.KeyOf(named)),
        _ => false,
    };

    private static string Display(ITypeSymbol type) => type.ToDisplayString(SymbolDisplayFormat.CSharpErrorMessageFormat);

    /// <summary>A run of 3 or more digits in a format: a precision or width that can make text of any length.</summary>
    [GeneratedRegex(@"\d{3,}")]
    private static partial Regex LongNumber();
}
