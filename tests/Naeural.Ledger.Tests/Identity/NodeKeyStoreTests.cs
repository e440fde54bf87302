using Naeural.Ledger.Identity;
using Nethereum.Signer;
using Xunit;

namespace Naeural.Ledger.Tests.Identity;

public sealed class NodeKeyStoreTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"naeural-keys-{Guid.NewGuid():N}");

    [Fact]
    public void The_same_data_folder_gives_the_same_identity_on_every_start()
    {
        var first = NodeKeyStore.LoadOrCreate(_folder);
        var second = NodeKeyStore.LoadOrCreate(_folder);

        Assert.Equal(first.Address, second.Address);
        Assert.Equal(first.ExportPrivateKeyHex(), second.ExportPrivateKeyHex());
    }

    [Fact]
    public void Different_data_folders_give_different_identities()
    {
        var a = NodeKeyStore.LoadOrCreate(Path.Combine(_folder, "a"));
        var b = NodeKeyStore.LoadOrCreate(Path.Combine(_folder, "b"));

        Assert.NotEqual(a.Address, b.Address);
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void The_key_file_is_readable_by_its_owner_only()
    {
        NodeKeyStore.LoadOrCreate(_folder);

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite,
            File.GetUnixFileMode(Path.Combine(_folder, NodeKeyStore.FileName)));
    }

    [Fact]
    public void The_node_id_is_the_ethereum_address_nethereum_derives_from_the_same_key()
    {
        var key = NodeKeyStore.LoadOrCreate(_folder);

        Assert.Equal(new EthECKey(key.ExportPrivateKeyHex()).GetPublicAddress(), key.Address);
    }

    [Fact]
    public void A_corrupt_key_file_fails_loudly_instead_of_minting_a_new_identity()
    {
        Directory.CreateDirectory(_folder);
        File.WriteAllText(Path.Combine(_folder, NodeKeyStore.FileName), "not a key");

        Assert.ThrowsAny<Exception>(() => NodeKeyStore.LoadOrCreate(_folder));
        Assert.Equal("not a key", File.ReadAllText(Path.Combine(_folder, NodeKeyStore.FileName)));
    }

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }
}
