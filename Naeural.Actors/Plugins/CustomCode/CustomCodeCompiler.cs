using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Emit;
using Microsoft.CodeAnalysis.Text;

namespace Naeural.Actors.Plugins.CustomCode;

/// <summary>
/// Turns the statements a developer sent (<c>CODE</c>) into a checked, instrumented, loadable assembly, or into every reason
/// it is refused. Steps: parse the text as one block (it must consume the whole text: no brace injection); wrap that exact
/// block in a generated method <c>JsonObject __Run(input, state, config, plugin)</c>; compile against only the assemblies the
/// allowed API lives in; refuse compiler errors and whatever <see cref="CodeAnalyzer"/> finds on the uninstrumented code;
/// instrument (<see cref="CodeInstrumenter"/>) and emit with portable symbols. Results are cached by the code's hash (a
/// pure function of the text), so validating a deploy on the front door, in the pipeline entity and starting N instances
/// with the same code compile it once. Thread-safe; one per plugin catalogue.
/// </summary>
public sealed class CustomCodeCompiler
{
    public const int MaxCodeLength = 32_000;
    private const int MaxReported = 10;
    private const int MaxCached = 256;

    private const string Prefix =
        "using System;\n" +
        "using System.Collections.Generic;\n" +
        "using System.Linq;\n" +
        "using System.Text.Json.Nodes;\n" +
        "using Naeural.Actors.Plugins.CustomCode;\n" +
        "public static class __CustomCode\n" +
        "{\n" +
        "    public static JsonObject __Run(CustomCodeFrame input, JsonObject state, CustomCodeConfig config, CustomCodeApi plugin, CustomCodeBudget " + CodeInstrumenter.Budget + ")\n" +
        "    {\n";

    private const string Suffix = "\n        return null;\n    }\n}\n";
    private static readonly int FirstLine = Prefix.Count(c => c == '\n') + 1;

    private static readonly string[] ReferencedAssemblies =
        ["System.Private.CoreLib", "System.Runtime", "System.Collections", "System.Linq", "System.Text.Json", "System.Memory"];

    private static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest, DocumentationMode.None, SourceCodeKind.Regular);

    private static readonly CSharpCompilationOptions CompilationOptions = new(
        OutputKind.DynamicallyLinkedLibrary,
        optimizationLevel: OptimizationLevel.Release,
        allowUnsafe: false,
        checkOverflow: false,
        nullableContextOptions: NullableContextOptions.Disable,
        concurrentBuild: false,
        deterministic: true,
        metadataImportOptions: MetadataImportOptions.Public);

    private readonly Lazy<ImmutableArray<MetadataReference>> _references = new(LoadReferences);
    private readonly ConcurrentDictionary<string, Lazy<CompiledCode>> _cache = new(StringComparer.Ordinal);

    /// <summary>The node's steps that overran their hard limit and still run on their threads (.NET can't abort them).</summary>
    public OverrunSteps Overruns { get; } = new();

    /// <summary>Loads compiled code into collectible contexts, shared by every instance running the same code.</summary>
    public CustomCodeLoader Loader { get; } = new();

    /// <summary>Compiles <paramref name="code"/>, or returns the cached result for the same text.</summary>
    public CompiledCode Compile(string code)
    {
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(code)));
        if (_cache.Count >= MaxCached && !_cache.ContainsKey(hash))
        {
            _cache.Clear();
        }

        return _cache.GetOrAdd(hash, h => new Lazy<CompiledCode>(() => CompileGuarded(code, h))).Value;
    }

    /// <summary>Whatever goes wrong inside the compiler (a guard of Roslyn's own, say) is a refusal of this code, not a crash of its caller.</summary>
    private CompiledCode CompileGuarded(string code, string hash)
    {
        try
        {
            return CompileUncached(code, hash);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return CompiledCode.Refused(hash, [$"could not be compiled ({e.GetType().Name}): simplify it"]);
        }
    }

    /// <summary>The deepest syntax the compiler and the analyzer may walk, and the deepest nesting of lambdas (overload resolution
    /// of nested lambdas grows exponentially).</summary>
    public const int MaxSyntaxDepth = 200;

    public const int MaxLambdaNesting = 4;

    /// <summary>Measured without recursion, before anything else walks the tree: the first node past a limit, or null.</summary>
    private static (SyntaxNode Node, string Reason)? TooDeep(SyntaxNode root)
    {
        var pending = new Stack<(SyntaxNode Node, int Depth, int Lambdas)>();
        pending.Push((root, 0, 0));
        while (pending.Count > 0)
        {
            var (node, depth, lambdas) = pending.Pop();
            if (depth > MaxSyntaxDepth)
            {
                return (node, $"the code nests more than {MaxSyntaxDepth} levels deep (a very long expression?): split it into statements");
            }

            if (node is AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax)
            {
                lambdas++;
                if (lambdas > MaxLambdaNesting)
                {
                    return (node, $"lambdas and local functions nest more than {MaxLambdaNesting} deep in custom code");
                }
            }

            foreach (var child in node.ChildNodes())
            {
                pending.Push((child, depth + 1, lambdas));
            }
        }

        return null;
    }

    private CompiledCode CompileUncached(string code, string hash)
    {
        if (code.Length > MaxCodeLength)
        {
            return CompiledCode.Refused(hash, [$"is {code.Length} characters long; at most {MaxCodeLength}"]);
        }

        if (code.Trim().Length == 0)
        {
            return CompiledCode.Refused(hash, ["must not be empty"]);
        }

        var source = SourceText.From(code);
        string At(int codePosition)
        {
            var position = source.Lines.GetLinePosition(Math.Clamp(codePosition, 0, code.Length));
            return string.Create(CultureInfo.InvariantCulture, $"{position.Line + 1}:{position.Character + 1}");
        }

        // 1. The text must be statements: exactly one block, "{" + code + "}", consuming everything, parsing cleanly.
        var blockText = "{" + code + "\n}";
        var parsed = SyntaxFactory.ParseStatement(blockText, 0, ParseOptions, consumeFullText: true);
        if (parsed is BlockSyntax { CloseBraceToken: { IsMissing: false } close } && close.SpanStart != blockText.Length - 1)
        {
            return CompiledCode.Refused(hash, [$"{At(close.SpanStart - 1)}: '}}' closes the code's method body early: the code must be statements only (no methods, classes or unbalanced braces)"]);
        }

        if (TooDeep(parsed) is { } deep)
        {
            return CompiledCode.Refused(hash, [$"{At(deep.Node.SpanStart - 1)}: {deep.Reason}"]);
        }

        var parseErrors = parsed.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        if (parsed is not BlockSyntax block || parseErrors.Count > 0)
        {
            return CompiledCode.Refused(hash, parseErrors.Take(MaxReported).Select(d => d.Id == "CS1040"
                ? $"{At(d.Location.SourceSpan.Start - 1)}: preprocessor directives are not allowed in custom code"
                : $"{At(d.Location.SourceSpan.Start - 1)}: {d.GetMessage(CultureInfo.InvariantCulture)} ({d.Id})"));
        }

        // 2. Wrap the same block text in the generated method, and check the wrapped tree holds exactly that block.
        var tree = CSharpSyntaxTree.ParseText(Prefix + blockText + Suffix, ParseOptions);
        var root = tree.GetCompilationUnitRoot();
        var body = root.DescendantNodes().OfType<MethodDeclarationSyntax>().Single().Body!;
        if (body.Statements is not [BlockSyntax wrapped, ReturnStatementSyntax] || !wrapped.IsEquivalentTo(block, topLevel: false))
        {
            return CompiledCode.Refused(hash, ["1:1: the code must be statements only"]);
        }

        var offset = Prefix.Length + 1; // wrapped position → position in the code
        var compilation = CSharpCompilation.Create($"custom-{hash[..16]}", [tree], _references.Value, CompilationOptions);
        var model = compilation.GetSemanticModel(tree);

        // 3. Compiler errors (named with a category where the name is a refused one) and sandbox refusals.
        var problems = new List<CodeProblem>();
        foreach (var diagnostic in model.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error))
        {
            problems.Add(Describe(diagnostic, root));
        }

        problems.AddRange(CodeAnalyzer.Analyze(wrapped, model));
        if (problems.Count > 0)
        {
            var distinct = problems.OrderBy(p => p.Position).Select(p => $"{At(p.Position - offset)}: {p.Message}").Distinct().ToList();
            return CompiledCode.Refused(hash, distinct.Count > MaxReported
                ? [.. distinct.Take(MaxReported), $"and {distinct.Count - MaxReported} more"]
                : distinct);
        }

        // 4. Instrument and emit.
        (int, int) Locate(int position)
        {
            var at = source.Lines.GetLinePosition(Math.Clamp(position - offset, 0, code.Length));
            return (at.Line + 1, at.Character + 1);
        }

        var instrumented = CodeInstrumenter.Instrument(wrapped, model, Locate);
        var instrumentedTree = CSharpSyntaxTree.Create(root.ReplaceNode(wrapped, instrumented), ParseOptions, encoding: Encoding.UTF8);
        using var image = new MemoryStream();
        using var symbols = new MemoryStream();
        var emitted = compilation.ReplaceSyntaxTree(tree, instrumentedTree)
            .Emit(image, symbols, options: new EmitOptions(debugInformationFormat: DebugInformationFormat.PortablePdb));
        if (!emitted.Success)
        {
            var first = emitted.Diagnostics.First(d => d.Severity == DiagnosticSeverity.Error);
            return CompiledCode.Refused(hash, [$"1:1: could not be instrumented ({first.Id} {first.GetMessage(CultureInfo.InvariantCulture)}); please report this"]);
        }

        return CompiledCode.Compiled(hash, image.ToArray(), symbols.ToArray(), FirstLine);
    }

    /// <summary>A compiler error; one about a name that doesn't resolve says why, if the name is a refused one (e.g. System.Net.Sockets).</summary>
    private static CodeProblem Describe(Diagnostic diagnostic, CompilationUnitSyntax root)
    {
        if (diagnostic.Id is "CS0103" or "CS0246" or "CS0234" or "CS0400")
        {
            SyntaxNode name = root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
            while (name.Parent is QualifiedNameSyntax or AliasQualifiedNameSyntax
                   || name.Parent is MemberAccessExpressionSyntax access && access.Expression == name)
            {
                name = name.Parent;
            }

            var dotted = string.Concat(name.DescendantTokens().Select(t => t.Text));
            if (CodeAllowList.CategoryOf(dotted) is { } category)
            {
                var shown = dotted.StartsWith("global::", StringComparison.Ordinal) ? dotted["global::".Length..] : dotted;
                return new CodeProblem(name.SpanStart, $"{shown} is not allowed in custom code ({category})");
            }
        }

        return new CodeProblem(diagnostic.Location.SourceSpan.Start, $"{diagnostic.GetMessage(CultureInfo.InvariantCulture)} ({diagnostic.Id})");
    }

    private static ImmutableArray<MetadataReference> LoadReferences()
    {
        var platform = ((string?)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
        var references = ImmutableArray.CreateBuilder<MetadataReference>();
        foreach (var name in ReferencedAssemblies)
        {
            var path = platform.FirstOrDefault(p => string.Equals(Path.GetFileNameWithoutExtension(p), name, StringComparison.OrdinalIgnoreCase))
                       ?? throw new InvalidOperationException($"custom code: {name}.dll is not among the trusted platform assemblies");
            references.Add(MetadataReference.CreateFromFile(path));
        }

        references.Add(MetadataReference.CreateFromFile(typeof(CustomCodeApi).Assembly.Location));
        return references.ToImmutable();
    }
}
