namespace Naeural.Actors.Capture;

/// <summary>
/// The path a file system path really names: every symbolic link on the way resolved (also links to links, relative
/// targets against their own folder, <c>..</c> after a link applied to where the link led), like POSIX <c>realpath</c>.
/// </summary>
internal static class RealPath
{
    private const int MaxLinks = 40;

    /// <summary>The real path of the absolute <paramref name="path"/>, or null when its links loop or go deeper than 40.</summary>
    public static string? Of(string path)
    {
        var links = 0;
        return Walk(Path.GetPathRoot(path)!, path, ref links);
    }

    private static string? Walk(string current, string path, ref int links)
    {
        var root = Path.GetPathRoot(path) ?? "";
        foreach (var segment in path[root.Length..].Split([Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar]))
        {
            if (segment is "" or ".")
            {
                continue;
            }

            if (segment == "..")
            {
                current = Path.GetDirectoryName(current) ?? current;
                continue;
            }

            var next = Path.Combine(current, segment);
            if (new FileInfo(next).LinkTarget is not { } target)
            {
                current = next;
                continue;
            }

            if (++links > MaxLinks)
            {
                return null;
            }

            var resolved = Walk(Path.IsPathRooted(target) ? Path.GetPathRoot(target)! : current, target, ref links);
            if (resolved is null)
            {
                return null;
            }

            current = resolved;
        }

        return current;
    }
}
