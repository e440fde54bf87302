using System.Text;
using Naeural.Ledger.Identity;
using Naeural.Ledger.Signing;
using Xunit;

namespace Naeural.Ledger.Tests.Signing;

public sealed class Secp256k1BackendTests
{
    private static readonly byte[] Message = Encoding.UTF8.GetBytes("payload #42");
    private readonly NativeSecp256k1 _native = NativeSecp256k1.TryCreate()
        ?? throw new InvalidOperationException("libsecp256k1 is not installed: run .ci/run (apt-get install libsecp256k1-1)");
    private readonly ManagedSecp256k1 _managed = new();

    [Fact]
    public void The_native_library_is_the_default_where_it_is_installed() =>
        Assert.IsType<NativeSecp256k1>(Secp256k1.Default);

    [Fact]
    public void Both_backends_derive_the_same_address_from_the_same_key()
    {
        var key = NodeKey.Generate(_managed);

        Assert.Equal(key.Address, NodeKey.FromPrivateKeyHex(key.ExportPrivateKeyHex(), _native).Address);
    }

    [Fact]
    public void A_signature_from_either_backend_is_recovered_by_the_other()
    {
        var nativeKey = NodeKey.Generate(_native);
        var managedKey = NodeKey.FromPrivateKeyHex(nativeKey.ExportPrivateKeyHex(), _managed);

        Assert.Equal(nativeKey.Address, new Secp256k1Verifier(_managed).RecoverSigner(Message, nativeKey.Sign(Message).Signature));
        Assert.Equal(nativeKey.Address, new Secp256k1Verifier(_native).RecoverSigner(Message, managedKey.Sign(Message).Signature));
        Assert.Equal(nativeKey.Sign(Message).Signature, managedKey.Sign(Message).Signature); // both use RFC 6979 nonces
    }

    [Fact]
    public void Invalid_private_keys_are_refused_by_both()
    {
        var zero = "0x" + new string('0', 64);
        var order = "0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141";

        foreach (var backend in new ISecp256k1Backend[] { _native, _managed })
        {
            Assert.Throws<ArgumentException>(() => NodeKey.FromPrivateKeyHex(zero, backend));
            Assert.Throws<ArgumentException>(() => NodeKey.FromPrivateKeyHex(order, backend));
        }
    }
}
