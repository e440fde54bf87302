using System.Text.RegularExpressions;
using Naeural.Fast.Tests.Contract;
using Xunit;

namespace Naeural.Fast.Tests.House;

/// <summary>
/// Logs people can query: a log call names its fields (<c>{PipelineId}</c>), since with <c>--log-format json</c> or OTLP a
/// positional <c>{0}</c> becomes a field literally called "0".
/// </summary>
public sealed partial class LogTemplateTests
{
    [Fact]
    public void No_log_call_of_the_product_uses_a_positional_placeholder()
    {
        var root = Path.GetDirectoryName(Path.GetDirectoryName(WireTypes.GoldenDirectory("contract")))!;
        var repository = Path.GetFullPath(Path.Combine(root, "..", ".."));
        var offenders = Directory.GetDirectories(repository, "Naeural.*")
            .SelectMany(project => Directory.GetFiles(project, "*.cs", SearchOption.AllDirectories))
            .Where(file => !file.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .SelectMany(file => PositionalLogCall().Matches(File.ReadAllText(file)).Select(m => $"{Path.GetRelativePath(repository, file)}: {m.Value}"))
            .ToList();

        Assert.True(offenders.Count == 0, "positional log placeholders:\n" + string.Join("\n", offenders));
    }

    [Fact]
    public void The_check_sees_a_positional_placeholder()
    {
        Assert.Matches(PositionalLogCall(), """_log.Warning(e, "Plugin {0} failed", name);""");
        Assert.DoesNotMatch(PositionalLogCall(), """_log.Warning(e, "Plugin {Plugin} failed", name);""");
    }

    /// <summary>An Akka or Microsoft log call whose template, on the same or the next line, holds <c>{0}</c>, <c>{1}</c> …</summary>
    [GeneratedRegex("""\.(Debug|Info|Warning|Error|LogTrace|LogDebug|LogInformation|LogWarning|LogError|LogCritical)\((?:[^";]*?,\s*)?\s*\$?"[^"]*\{[0-9]+\}""")]
    private static partial Regex PositionalLogCall();
}
