using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace Naeural.Actors.Plugins.CustomCode;

/// <summary>
/// Rewrites accepted custom code so that it checks its budget: <c>__budget.Tick(line, column)</c> first in every loop body,
/// lambda, anonymous method, local function and catch block, and <c>__budget.NewArray&lt;T&gt;(n, line, column)</c> instead of
/// every sized <c>new T[n]</c> (refused before allocating). Adds no line breaks, so the code's lines stay where they were.
/// Reads the semantic model of the original tree (lambda return types), so it visits that tree.
/// </summary>
internal sealed class CodeInstrumenter(SemanticModel model, Func<int, (int Line, int Column)> locate) : CSharpSyntaxRewriter
{
    public const string Budget = "__budget";

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
