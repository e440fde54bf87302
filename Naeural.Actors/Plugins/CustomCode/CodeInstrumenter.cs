using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace Naeural.Actors.Plugins.CustomCode;

/// <summary>
/// Rewrites accepted custom code so that it checks its budget: <c>__budget.Tick(line, column)</c> first in every loop body,
/// lambda, anonymous method, local function and catch block, and <c>__budget.NewArray&lt;T&gt;(n, line, column)</c> instead of
/// every sized <c>new T[n]</c> (refused before allocating). Adds no line breaks, so the code's lines stay where they were.
/// Library calls are bounded too: every sequence passed to a library method (a LINQ receiver, <c>AddRange</c>'s argument...)
/// becomes <c>__budget.Each&lt;T&gt;(sequence, line, column)</c>, checking the budget on each element pulled, and every sort
/// without a comparer (<c>OrderBy</c>, <c>Order</c>, <c>List.Sort()</c>, <c>Array.Sort(array)</c>) gets
/// <c>comparer: __budget.Comparer&lt;T&gt;(line, column)</c>, checking it on each comparison.
/// Reads the semantic model of the original tree (lambda return types, the methods called), so it visits that tree.
/// </summary>
internal sealed class CodeInstrumenter(SemanticModel model, Func<int, (int Line, int Column)> locate) : CSharpSyntaxRewriter
{
    public const string Budget = "__budget";

    private static readonly SymbolDisplayFormat TypeFormat = SymbolDisplayFormat.FullyQualifiedFormat;
    private readonly Dictionary<SyntaxNode, string> _sequences = [];
    private readonly Dictionary<SyntaxNode, string> _sorts = [];

    /// <summary>Instruments <paramref name="block"/> (a block of the tree <paramref name="model"/> was made from).</summary>
    public static BlockSyntax Instrument(BlockSyntax block, SemanticModel model, Func<int, (int Line, int Column)> locate)
    {
        var instrumenter = new CodeInstrumenter(model, locate);
        if (model.GetOperation(block) is { } operation)
        {
            instrumenter.FindLibraryInputs(operation);
        }

        return (BlockSyntax)instrumenter.Visit(block)!;
    }

    /// <summary>Records the sequences library calls consume and the sorts that need a comparer, by their original syntax.</summary>
    private void FindLibraryInputs(IOperation root)
    {
        var pending = new Stack<IOperation>();
        pending.Push(root);
        while (pending.Count > 0)
        {
            var operation = pending.Pop();
            foreach (var child in operation.ChildOperations)
            {
                pending.Push(child);
            }

            var (method, arguments) = operation switch
            {
                IInvocationOperation invocation => (invocation.TargetMethod, invocation.Arguments),
                IObjectCreationOperation { Constructor: { } constructor } creation => (constructor, creation.Arguments),
                _ => (null, ImmutableArray<IArgumentOperation>.Empty),
            };
            if (method is null || method.MethodKind is MethodKind.LocalFunction or MethodKind.AnonymousFunction)
            {
                continue;
            }

            foreach (var argument in arguments)
            {
                if (argument.ArgumentKind != ArgumentKind.Explicit || argument.Parameter is not { } parameter)
                {
                    continue;
                }

                var value = argument.Value;
                while (value is IConversionOperation { IsImplicit: true } conversion)
                {
                    value = conversion.Operand;
                }

                if (parameter.Type.OriginalDefinition.SpecialType == SpecialType.System_Collections_Generic_IEnumerable_T)
                {
                    var element = ((INamedTypeSymbol)parameter.Type).TypeArguments[0];
                    _sequences[value.Syntax] = $"Each<{element.ToDisplayString(TypeFormat)}>";
                }
                else if (parameter.Type.SpecialType == SpecialType.System_Collections_IEnumerable)
                {
                    _sequences[value.Syntax] = "EachUntyped";
                }
            }

            if (operation is IInvocationOperation call && SortedElement(call.TargetMethod.ReducedFrom ?? call.TargetMethod) is { } sorted)
            {
                _sorts[call.Syntax] = sorted.ToDisplayString(TypeFormat);
            }
        }
    }

    /// <summary>What a sort without a comparer compares (the key of <c>OrderBy</c>, the element of <c>Order</c>), or null.</summary>
    private static ITypeSymbol? SortedElement(IMethodSymbol method)
    {
        var key = method.ContainingType is { } type ? CodeAllowList.KeyOf(type) : "";
        return (key, method.Name, method.Parameters.Length) switch
        {
            ("System.Linq.Enumerable", "Order" or "OrderDescending", 1) => method.TypeArguments[0],
            ("System.Linq.Enumerable", "OrderBy" or "OrderByDescending" or "ThenBy" or "ThenByDescending", 2) => method.TypeArguments[1],
            ("System.Collections.Generic.List`1", "Sort", 0) => method.ContainingType!.TypeArguments[0],
            ("System.Array", "Sort", 1) when method.IsGenericMethod => method.TypeArguments[0],
            _ => null,
        };
    }

    public override SyntaxNode? Visit(SyntaxNode? node)
    {
        var visited = base.Visit(node);
        if (node is not null && visited is InvocationExpressionSyntax invocation && _sorts.TryGetValue(node, out var compared))
        {
            var (line, column) = locate(node.SpanStart);
            var comparer = Argument(ParseExpression($"{Budget}.Comparer<{compared}>({line}, {column})"))
                .WithNameColon(NameColon(IdentifierName("comparer")));
            visited = invocation.WithArgumentList(invocation.ArgumentList.AddArguments(comparer));
        }

        if (node is not null && visited is ExpressionSyntax expression && _sequences.TryGetValue(node, out var each))
        {
            var (line, column) = locate(node.SpanStart);
            visited = ParseExpression($"{Budget}.{each}(default, {line}, {column})") is InvocationExpressionSyntax wrap
                ? wrap.WithArgumentList(wrap.ArgumentList.WithArguments(wrap.ArgumentList.Arguments.Replace(wrap.ArgumentList.Arguments[0],
                    Argument(expression.WithoutTrivia())))).WithTriviaFrom(expression)
                : visited;
        }

        return visited;
    }

    public override SyntaxNode? VisitWhileStatement(WhileStatementSyntax node)
    {
        var visited = (WhileStatementSyntax)base.VisitWhileStatement(node)!;
        return visited.WithStatement(Prepend(visited.Statement, node));
    }

    public override SyntaxNode? VisitDoStatement(DoStatementSyntax node)
    {
        var visited = (DoStatementSyntax)base.VisitDoStatement(node)!;
        return visited.WithStatement(Prepend(visited.Statement, node));
    }

    public override SyntaxNode? VisitForStatement(ForStatementSyntax node)
    {
        var visited = (ForStatementSyntax)base.VisitForStatement(node)!;
        return visited.WithStatement(Prepend(visited.Statement, node));
    }

    public override SyntaxNode? VisitForEachStatement(ForEachStatementSyntax node)
    {
        var visited = (ForEachStatementSyntax)base.VisitForEachStatement(node)!;
        return visited.WithStatement(Prepend(visited.Statement, node));
    }

    public override SyntaxNode? VisitForEachVariableStatement(ForEachVariableStatementSyntax node)
    {
        var visited = (ForEachVariableStatementSyntax)base.VisitForEachVariableStatement(node)!;
        return visited.WithStatement(Prepend(visited.Statement, node));
    }

    /// <summary>
    /// A catch only catches while the budget holds (<c>when (__budget.CanCatch() &amp;&amp; (filter))</c>): a broken bound passes
    /// every handler by in the first pass, so no handler runs on top of a deep stack and throws again (nested throws from deep
    /// recursion would overflow the stack). Its block still ticks first.
    /// </summary>
    public override SyntaxNode? VisitCatchClause(CatchClauseSyntax node)
    {
        var visited = (CatchClauseSyntax)base.VisitCatchClause(node)!;
        var admit = ParseExpression($"{Budget}.CanCatch()");
        var filter = visited.Filter is { } existing
            ? existing.WithFilterExpression(BinaryExpression(SyntaxKind.LogicalAndExpression, admit,
                ParenthesizedExpression(existing.FilterExpression.WithoutTrivia())).WithTriviaFrom(existing.FilterExpression))
            : CatchFilterClause(Token(SyntaxKind.WhenKeyword).WithLeadingTrivia(Space).WithTrailingTrivia(Space),
                Token(SyntaxKind.OpenParenToken), admit, Token(SyntaxKind.CloseParenToken).WithTrailingTrivia(Space));
        return visited.WithFilter(filter).WithBlock((BlockSyntax)Prepend(visited.Block, node));
    }

    public override SyntaxNode? VisitAnonymousMethodExpression(AnonymousMethodExpressionSyntax node)
    {
        var visited = (AnonymousMethodExpressionSyntax)base.VisitAnonymousMethodExpression(node)!;
        return visited.WithBlock((BlockSyntax)Prepend(visited.Block, node));
    }

    public override SyntaxNode? VisitSimpleLambdaExpression(SimpleLambdaExpressionSyntax node) =>
        Lambda(node, (LambdaExpressionSyntax)base.VisitSimpleLambdaExpression(node)!);

    public override SyntaxNode? VisitParenthesizedLambdaExpression(ParenthesizedLambdaExpressionSyntax node) =>
        Lambda(node, (LambdaExpressionSyntax)base.VisitParenthesizedLambdaExpression(node)!);

    public override SyntaxNode? VisitLocalFunctionStatement(LocalFunctionStatementSyntax node)
    {
        var returnsVoid = model.GetDeclaredSymbol(node) is IMethodSymbol { ReturnsVoid: true };
        var visited = (LocalFunctionStatementSyntax)base.VisitLocalFunctionStatement(node)!;
        if (visited.Body is { } body)
        {
            return visited.WithBody((BlockSyntax)Prepend(body, node));
        }

        var arrow = visited.ExpressionBody!;
        var block = Block(Tick(node), BodyStatement(arrow.Expression, returnsVoid))
            .WithOpenBraceToken(Token(SyntaxKind.OpenBraceToken).WithTriviaFrom(arrow.ArrowToken))
            .WithCloseBraceToken(Token(SyntaxKind.CloseBraceToken).WithTriviaFrom(visited.SemicolonToken));
        return visited.WithExpressionBody(null).WithSemicolonToken(default).WithBody(block);
    }

    public override SyntaxNode? VisitArrayCreationExpression(ArrayCreationExpressionSyntax node)
    {
        var visited = (ArrayCreationExpressionSyntax)base.VisitArrayCreationExpression(node)!;
        var ranks = visited.Type.RankSpecifiers;
        if (visited.Initializer is not null || ranks[0].Sizes.Any(s => s is OmittedArraySizeExpressionSyntax) || ranks[0].Rank > 2)
        {
            return visited; // sized by its initializer (a constant count), or refused by the analyzer
        }

        var (line, column) = locate(node.SpanStart);
        TypeSyntax element = ranks.Count == 1 ? visited.Type.ElementType : visited.Type.WithRankSpecifiers(List(ranks.Skip(1)));
        var method = GenericName(Identifier(ranks[0].Rank == 1 ? "NewArray" : "NewArray2"), TypeArgumentList(SingletonSeparatedList(element.WithoutTrivia())));
        var arguments = ranks[0].Sizes.Select(Argument)
            .Append(Argument(LiteralExpression(SyntaxKind.NumericLiteralExpression, Literal(line))))
            .Append(Argument(LiteralExpression(SyntaxKind.NumericLiteralExpression, Literal(column))));
        return InvocationExpression(MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, IdentifierName(Budget), method),
                ArgumentList(SeparatedList(arguments)))
            .WithTriviaFrom(visited);
    }

    private SyntaxNode Lambda(LambdaExpressionSyntax original, LambdaExpressionSyntax visited)
    {
        if (visited.Block is { } block)
        {
            return visited.WithBlock((BlockSyntax)Prepend(block, original));
        }

        var returnsVoid = model.GetSymbolInfo(original).Symbol is IMethodSymbol { ReturnsVoid: true };
        var body = visited.ExpressionBody!;
        return visited.WithExpressionBody(null).WithBlock(Block(Tick(original), BodyStatement(body, returnsVoid)).WithTriviaFrom(body));
    }

    private static StatementSyntax BodyStatement(ExpressionSyntax expression, bool returnsVoid) => expression switch
    {
        ThrowExpressionSyntax thrown => ThrowStatement(Token(SyntaxKind.ThrowKeyword).WithTrailingTrivia(Space), thrown.Expression.WithoutLeadingTrivia(), Token(SyntaxKind.SemicolonToken)),
        _ when returnsVoid => ExpressionStatement(expression.WithoutTrivia()),
        _ => ReturnStatement(Token(SyntaxKind.ReturnKeyword).WithTrailingTrivia(Space), expression.WithoutTrivia(), Token(SyntaxKind.SemicolonToken)),
    };

    private StatementSyntax Prepend(StatementSyntax body, SyntaxNode at) => body is BlockSyntax block
        ? block.WithStatements(block.Statements.Insert(0, Tick(at)))
        : Block(Tick(at), body);

    private StatementSyntax Tick(SyntaxNode at)
    {
        var (line, column) = locate(at.SpanStart);
        return ParseStatement($"{Budget}.Tick({line}, {column});");
    }
}
