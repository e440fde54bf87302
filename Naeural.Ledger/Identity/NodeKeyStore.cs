namespace Naeural.Ledger.Identity;

/// <summary>
/// Keeps a node's key in its data folder (<c>node.key</c>, hex, readable by its owner only): created on first start,
/// the same identity on every start after.
/// </summary>
public static class NodeKeyStore
{
    public const string FileName = "node.key";

    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public static NodeKey LoadOrCreate(string dataDirectory)
    {
        Directory.CreateDirectory(dataDirectory);
        var path = Path.Combine(dataDirectory, FileName);
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
