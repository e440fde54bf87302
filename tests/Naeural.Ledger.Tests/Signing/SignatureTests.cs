using System.Text;
using System.Text.Json.Nodes;
using Naeural.Actors.Security;
using Naeural.Ledger.Identity;
using Naeural.Ledger.Signing;
using Nethereum.Signer;
using Xunit;

namespace Naeural.Ledger.Tests.Signing;

public sealed class SignatureTests
{
    private static readonly byte[] Message = Encoding.UTF8.GetBytes("{\"ACTION\":\"UPDATE_CONFIG\",\"NAME\":\"demo\"}");
    private readonly NodeKey _alice = NodeKey.Generate();
    private readonly NodeKey _bob = NodeKey.Generate();
    private readonly Secp256k1Verifier _verifier = new();

    [Fact]
    public void A_signature_verifies_for_its_signer()
    {
        var signature = _alice.Sign(Message);

        Assert.Equal(_alice.Address, _verifier.RecoverSigner(Message, signature.Signature));
        Assert.True(((ISignatureVerifier)_verifier).Verify(Message, signature.Signature, _alice.Address));
    }

    [Fact]
    public void A_signature_by_one_key_does_not_verify_for_another()
    {
        var signature = _alice.Sign(Message);

        Assert.False(((ISignatureVerifier)_verifier).Verify(Message, signature.Signature, _bob.Address));
    }

    [Fact]
    public void A_signature_does_not_verify_for_a_changed_message()
    {
        var signature = _alice.Sign(Message);
        var tampered = Encoding.UTF8.GetBytes("{\"ACTION\":\"UPDATE_CONFIG\",\"NAME\":\"evil\"}");

        Assert.NotEqual(_alice.Address, _verifier.RecoverSigner(tampered, signature.Signature));
    }

    [Theory]
    [InlineData("")]
    [InlineData("0x1234")]
    [InlineData("zz")]
    public void A_malformed_signature_recovers_nobody(string signature)
    {
        Assert.Null(_verifier.RecoverSigner(Message, signature));
    }

    [Fact]
    public void The_high_s_twin_of_a_valid_signature_is_refused()
    {
        var bytes = Convert.FromHexString(_alice.Sign(Message).Signature[2..]);
        var order = System.Numerics.BigInteger.Parse("0FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141", System.Globalization.NumberStyles.HexNumber);
        var s = new System.Numerics.BigInteger(bytes.AsSpan(32, 32), isUnsigned: true, isBigEndian: true);
        (order - s).ToByteArray(isUnsigned: true, isBigEndian: true).CopyTo(bytes.AsSpan(32, 32));
        bytes[64] = (byte)(bytes[64] == 27 ? 28 : 27);

        Assert.Null(_verifier.RecoverSigner(Message, "0x" + Convert.ToHexString(bytes)));
    }

    [Fact]
    public void Signatures_interoperate_with_nethereum()
    {
        var signature = _alice.Sign(Message);

        Assert.Equal(_alice.Address, new MessageSigner().EcRecover(Keccak.Hash(Message), signature.Signature));
        var nethereumSignature = new MessageSigner().Sign(Keccak.Hash(Message), new EthECKey(_bob.ExportPrivateKeyHex()));
        Assert.Equal(_bob.Address, _verifier.RecoverSigner(Message, nethereumSignature));
    }

    [Fact]
    public void A_signed_json_message_verifies_whatever_the_order_of_its_keys()
    {
        var signed = SignedJson.Sign(new JsonObject { ["b"] = 2, ["a"] = new JsonObject { ["y"] = 1, ["x"] = "é" } }, _alice);
        var reordered = new JsonObject
        {
            ["a"] = new JsonObject { ["x"] = "é", ["y"] = 1 },
            ["b"] = 2,
            [SignedJson.SignatureField] = signed[SignedJson.SignatureField]!.GetValue<string>(),
            [SignedJson.SenderField] = signed[SignedJson.SenderField]!.GetValue<string>(),
        };

        var check = SignedJson.Verify(reordered, _verifier);
        Assert.True(check.IsValid, check.Error);
        Assert.Equal(_alice.Address, check.Signer);
    }

    [Fact]
    public void A_signed_json_message_claiming_another_sender_is_refused()
    {
        var signed = SignedJson.Sign(new JsonObject { ["ACTION"] = "STOP" }, _alice);
        signed[SignedJson.SenderField] = _bob.Address;

        var check = SignedJson.Verify(signed, _verifier);
        Assert.False(check.IsValid);
        Assert.Contains(SignedJson.SenderField, check.Error);
    }

    [Fact]
    public void A_signed_json_message_with_a_changed_value_is_refused()
    {
        var signed = SignedJson.Sign(new JsonObject { ["ACTION"] = "STOP", ["NAME"] = "demo" }, _alice);
        signed["NAME"] = "other";

        Assert.False(SignedJson.Verify(signed, _verifier).IsValid);
    }

    [Fact]
    public void An_unsigned_json_message_is_refused_with_a_reason()
    {
        var check = SignedJson.Verify(new JsonObject { ["ACTION"] = "STOP" }, _verifier);

        Assert.False(check.IsValid);
        Assert.Contains("not signed", check.Error);
    }
}
