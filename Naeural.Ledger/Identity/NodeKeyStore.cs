namespace Naeural.Ledger.Identity;

/// <summary>
/// Keeps a key in a file (hex, readable by its owner only): a node's in its data folder (<c>node.key</c>), a developer's
/// wherever they keep it. Created on first use, the same identity on every use after.
/// </summary>
public static class NodeKeyStore
{
    public const string FileName = "node.key";

    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public static NodeKey LoadOrCreate(string dataDirectory) => LoadOrCreateFile(Path.Combine(dataDirectory, FileName));

    /// <summary>The key in <paramref name="path"/>, created (owner-only) if the file does not exist yet.</summary>
    public static NodeKey LoadOrCreateFile(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        if (File.Exists(path))
        {
            if (!OperatingSystem.IsWindows() && (File.GetUnixFileMode(path) & ~OwnerOnly) != 0)
            {
                File.SetUnixFileMode(path, OwnerOnly);
            }

            return NodeKey.FromPrivateKeyHex(File.ReadAllText(path));
        }

        var key = NodeKey.Generate();
        var temporary = path + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = OwnerOnly;
        }

        using (var writer = new StreamWriter(temporary, options))
        {
            writer.Write(key.ExportPrivateKeyHex());
        }

        File.Move(temporary, path, overwrite: false);
        return key;
    }
}
