using System.Numerics;
using Naeural.Ledger.Channels;
using Naeural.Ledger.Identity;
using Nethereum.ABI.EIP712;
using Nethereum.ABI.FunctionEncoding.Attributes;
using Nethereum.Signer.EIP712;
using Xunit;

namespace Naeural.Ledger.Tests.Channels;

/// <summary>The voucher struct as Nethereum's generic EIP-712 encoder sees it.</summary>
[Struct("Voucher")]
public sealed class VoucherStruct
{
    [Parameter("bytes32", "channelId", 1)]
    public byte[] ChannelId { get; set; } = [];

    [Parameter("uint256", "amount", 2)]
    public BigInteger Amount { get; set; }

    [Parameter("uint256", "nonce", 3)]
    public BigInteger Nonce { get; set; }
}

public sealed class VoucherSigningTests
{
    private const string Channel = "0x1111111111111111111111111111111111111111111111111111111111111111";
    private readonly VoucherDomain _domain = new(1337, "0x5FbDB2315678afecb367f032d93F642f64180aa3");

    [Fact]
    public void The_digest_is_the_standard_eip712_hash_nethereum_computes()
    {
        var voucher = new Voucher(Channel, 123_456_789, 7);
        var typedData = new TypedData<Domain>
        {
            Domain = new Domain { Name = "Naeural", Version = "1", ChainId = 1337, VerifyingContract = _domain.VerifyingContract },
            Types = MemberDescriptionFactory.GetTypesMemberDescription(typeof(Domain), typeof(VoucherStruct)),
            PrimaryType = "Voucher",
        };
        var message = new VoucherStruct { ChannelId = Convert.FromHexString(Channel[2..]), Amount = 123_456_789, Nonce = 7 };

        var expected = Eip712TypedDataEncoder.Current.EncodeAndHashTypedData(message, typedData);

        Assert.Equal(Convert.ToHexString(expected), Convert.ToHexString(new VoucherSigning(_domain).Digest(voucher)));
    }

    [Fact]
    public void A_signed_voucher_recovers_its_payer_and_only_in_its_own_domain()
    {
        var payer = NodeKey.Generate();
        var signed = new VoucherSigning(_domain).Sign(payer, new Voucher(Channel, 10, 1));

        Assert.Equal(payer.Address, new VoucherSigning(_domain).RecoverSigner(signed));
        Assert.NotEqual(payer.Address, new VoucherSigning(_domain with { ChainId = 1 }).RecoverSigner(signed));
        Assert.NotEqual(payer.Address, new VoucherSigning(_domain).RecoverSigner(signed with { Voucher = signed.Voucher with { CumulativeAmount = 11 } }));
    }
}
