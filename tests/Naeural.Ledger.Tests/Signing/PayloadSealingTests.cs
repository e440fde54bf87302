using System.Security.Cryptography;
using System.Text;
using CsCheck;
using Naeural.Actors.Security;
using Naeural.Ledger.Identity;
using Naeural.Ledger.Signing;
using Xunit;

namespace Naeural.Ledger.Tests.Signing;

/// <summary>Payload sealing between two secp256k1 keys: ECDH → HKDF-SHA256 → AES-256-GCM, on both backends.</summary>
public sealed class PayloadSealingTests
{
    private static readonly byte[] Data = Encoding.UTF8.GetBytes("""{"VALUE":20.5}""");
    private static readonly byte[] Context = Encoding.UTF8.GetBytes("""{"EE_MESSAGE_SEQ":42}""");
    private readonly NativeSecp256k1 _native = NativeSecp256k1.TryCreate()
        ?? throw new InvalidOperationException("libsecp256k1 is not installed: run .ci/run (apt-get install libsecp256k1-1)");
    private readonly ManagedSecp256k1 _managed = new();

    [Fact]
    public void Both_backends_agree_on_the_shared_secret_from_either_side()
    {
        var node = NodeKey.Generate(_native);
        var owner = NodeKey.Generate(_managed);
        var secrets = new[]
        {
            Agree(_native, node, owner), Agree(_managed, node, owner), Agree(_native, owner, node), Agree(_managed, owner, node),
        };

        Assert.All(secrets, s => Assert.Equal(Convert.ToHexString(secrets[0]), Convert.ToHexString(s)));
        Assert.NotEqual(Convert.ToHexString(secrets[0]), Convert.ToHexString(Agree(_native, node, NodeKey.Generate())));
    }

    [Fact]
    public void What_a_node_seals_for_an_owner_only_the_owner_opens_and_only_with_the_same_associated_data()
    {
        var node = NodeKey.Generate(_native);
        var owner = NodeKey.FromPrivateKeyHex(NodeKey.Generate().ExportPrivateKeyHex(), _managed);
        var sealedData = node.Seal(owner.PublicKey, Data, Context);

        Assert.Equal(Data.Length + PayloadSealing.Overhead, sealedData.Length);
        Assert.Equal(Data, owner.Open(node.PublicKey, sealedData, Context));
        Assert.ThrowsAny<CryptographicException>(() => NodeKey.Generate().Open(node.PublicKey, sealedData, Context)); // someone else
        Assert.ThrowsAny<CryptographicException>(() => owner.Open(NodeKey.Generate().PublicKey, sealedData, Context)); // wrong sender
        Assert.ThrowsAny<CryptographicException>(() => owner.Open(node.PublicKey, sealedData, "other"u8));
        Assert.ThrowsAny<CryptographicException>(() => owner.Open(node.PublicKey, sealedData.AsSpan(0, 20), Context));
        Assert.ThrowsAny<CryptographicException>(() => node.Seal(new byte[65], Data, Context)); // not a public key
    }

    [Fact]
    public void Every_message_is_sealed_afresh_salt_and_nonce_and_any_flipped_bit_is_detected()
    {
        var node = NodeKey.Generate();
        var owner = NodeKey.Generate();
        var once = node.Seal(owner.PublicKey, Data, Context);
        var twice = node.Seal(owner.PublicKey, Data, Context);
        Assert.NotEqual(Convert.ToHexString(once), Convert.ToHexString(twice));

        Gen.Int[0, (once.Length * 8) - 1].Sample(bit =>
        {
            var flipped = (byte[])once.Clone();
            flipped[bit / 8] ^= (byte)(1 << (bit % 8));
            Assert.ThrowsAny<CryptographicException>(() => owner.Open(node.PublicKey, flipped, Context));
        }, iter: 200);
    }

    [Fact]
    public void A_key_recovered_from_a_signature_is_the_signers_public_key()
    {
        var owner = NodeKey.Generate();
        var recovered = new Secp256k1Verifier().RecoverSignerKey(Data, owner.Sign(Data).Signature);

        Assert.Equal(owner.Address, recovered!.Address);
        Assert.Equal(owner.PublicKey.ToArray(), recovered.PublicKey);
        Assert.Null(((ISignatureVerifier)new Secp256k1Verifier()).RecoverSignerKey(Data, "0x1234"));
    }

    private static byte[] Agree(ISecp256k1Backend backend, NodeKey self, NodeKey other)
    {
        var secret = new byte[32];
        Assert.True(backend.TryAgree(Convert.FromHexString(self.ExportPrivateKeyHex()[2..]), other.PublicKey, secret));
        return secret;
    }
}
