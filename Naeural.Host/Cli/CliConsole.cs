using Spectre.Console;
using Spectre.Console.Rendering;

namespace Naeural.Host.Cli;

/// <summary>
/// The command line's console (Spectre.Console on standard output): tables for listings, progress and status for long work.
/// Redirected output (a pipe, a test) gets no colours or animation and a wide line, so table cells are never wrapped.
/// </summary>
public static class CliConsole
{
    public static IAnsiConsole Create()
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Out) });
        if (Console.IsOutputRedirected)
        {
            console.Profile.Width = 240;
        }

        return console;
    }

    /// <summary>
    /// A progress display for long work on <paramref name="console"/>: live bars on a terminal. Elsewhere (a pipe, CI) the work
    /// runs with the same tasks and nothing is printed until it ends: Spectre's fallback would print a line at every step
    /// of every task, a stream of "0%"/"50%" lines.
    /// </summary>
    public static Spectre.Console.Progress ProgressFor(IAnsiConsole console) =>
        console.Profile.Capabilities is { Interactive: true, Ansi: true } // what Spectre's live display needs; else it prints each step
            ? console.Progress()
            : AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(TextWriter.Null), Interactive = InteractionSupport.No }).Progress();

    /// <summary>A table with these column headers (right-aligned when a header starts with '>').</summary>
    public static Table Table(params string[] columns)
    {
        var table = new Table().Border(TableBorder.Rounded);
        foreach (var column in columns)
        {
            table.AddColumn(column.StartsWith('>') ? new TableColumn(column[1..]).RightAligned() : new TableColumn(column));
        }

        return table;
    }

    /// <summary>Adds a row of plain text cells (no markup is interpreted in them).</summary>
    public static Table Row(this Table table, params object?[] cells)
    {
        table.AddRow(cells.Select(c => (IRenderable)new Text(c?.ToString() ?? "-")).ToArray());
        return table;
    }
}
