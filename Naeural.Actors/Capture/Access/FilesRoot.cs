using Microsoft.Win32.SafeHandles;

namespace Naeural.Actors.Capture;

/// <summary>
/// The one folder whose files tenants' file sources may read (<c>--files-root</c>). A requested path is relative to it (or
/// an absolute path inside it); <c>..</c> is refused outright, and the path with every symbolic link resolved must still be
/// inside the folder's own real path, so a link inside the root that leads out of it is refused. Checked when a spec is
/// validated and again when the file is opened (the opened handle's own path, where the OS tells it).
/// </summary>
public sealed class FilesRoot
{
    private static readonly StringComparison PathComparison =
        OperatingSystem.IsWindows() || OperatingSystem.IsMacOS() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;

    private readonly string _realFolder;

    public FilesRoot(string folder)
    {
        Folder = Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder));
        _realFolder = RealPath.Of(Folder) ?? Folder;
    }

    /// <summary>The folder as the operator configured it (full path).</summary>
    public string Folder { get; }

    /// <summary>Whether the absolute <paramref name="path"/> is <paramref name="folder"/> or inside it (by name only).</summary>
    public static bool Contains(string folder, string path)
    {
        folder = Path.TrimEndingDirectorySeparator(folder);
        return path.Equals(folder, PathComparison)
               || (path.StartsWith(folder, PathComparison) && path.Length > folder.Length
                   && (path[folder.Length] == Path.DirectorySeparatorChar || folder.EndsWith(Path.DirectorySeparatorChar)));
    }

    /// <summary>The real path of the file <paramref name="requested"/> names, or the reason it may not be read.</summary>
    public (string? Path, string? Refusal) Resolve(string requested)
    {
        if (requested.Length == 0 || requested.Contains('\0'))
        {
            return (null, Refusal(requested, "is not a file path"));
        }

        if (requested.Split(['/', '\\']).Contains(".."))
        {
            return (null, Refusal(requested, "may not contain '..'"));
        }

        var full = Path.GetFullPath(Path.IsPathRooted(requested) ? requested : Path.Combine(Folder, requested));
        if (!Contains(Folder, full) || full.Length == Folder.Length)
        {
            return (null, Refusal(requested, "is outside the files root"));
        }

        var real = RealPath.Of(full);
        if (real is null || !Contains(_realFolder, real) || real.Length == _realFolder.Length)
        {
            return (null, Refusal(requested, "leads outside the files root through a symbolic link"));
        }

        return (real, null);
    }

    /// <summary>
    /// Checks the file a handle really opened (Linux: <c>/proc/self/fd</c>), so a link swapped in between the check and the
    /// open is caught. Elsewhere the check before the open stands alone.
    /// </summary>
    /// <exception cref="SourceRefusedException">The opened file is outside the root.</exception>
    public void CheckOpened(SafeFileHandle handle, string requested)
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        var opened = new FileInfo($"/proc/self/fd/{handle.DangerousGetHandle()}").LinkTarget;
        if (opened is null || !Contains(_realFolder, opened))
        {
            throw new SourceRefusedException(Refusal(requested, "was opened outside the files root (a link swapped in after the check)"));
        }
    }

    private string Refusal(string requested, string why) =>
        $"'{requested}' {why}: file sources read only inside {Folder} ({SourceAccess.FilesRootSetting})";
}
