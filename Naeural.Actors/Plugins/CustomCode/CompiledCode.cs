using System.Collections.Immutable;

namespace Naeural.Actors.Plugins.CustomCode;

/// <summary>
/// The outcome of compiling one piece of custom code: every reason it was refused (each <c>line:column: what</c>, lines
/// and columns of the code as the developer wrote it), or its instrumented assembly and symbols, ready to load.
/// </summary>
public sealed class CompiledCode
{
    private CompiledCode(string hash, ImmutableArray<string> errors, byte[]? image, byte[]? symbols, int firstLine)
    {
        Hash = hash;
        Errors = errors;
        Image = image;
        Symbols = symbols;
        FirstLine = firstLine;
    }

    /// <summary>SHA-256 of the code (hex): the cache key, and the name of its load context.</summary>
    public string Hash { get; }

    public ImmutableArray<string> Errors { get; }

    public bool IsValid => Errors.IsEmpty;

    internal byte[]? Image { get; }

    internal byte[]? Symbols { get; }

    /// <summary>The line of the wrapped source (1-based) that holds the code's first line: maps stack-trace lines back.</summary>
    internal int FirstLine { get; }

    internal static CompiledCode Refused(string hash, IEnumerable<string> errors) => new(hash, [.. errors], null, null, 0);

    internal static CompiledCode Compiled(string hash, byte[] image, byte[] symbols, int firstLine) => new(hash, [], image, symbols, firstLine);
}
