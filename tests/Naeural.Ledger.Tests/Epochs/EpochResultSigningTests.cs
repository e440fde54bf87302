using System.Collections.Immutable;
using System.Numerics;
using Naeural.Ledger.Channels;
using Naeural.Ledger.Epochs;
using Naeural.Ledger.Identity;
using Nethereum.ABI.EIP712;
using Nethereum.ABI.FunctionEncoding.Attributes;
using Nethereum.Signer.EIP712;
using Xunit;

namespace Naeural.Ledger.Tests.Epochs;

/// <summary>The epoch result struct as Nethereum's generic EIP-712 encoder sees it.</summary>
[Struct("EpochResult")]
public sealed class EpochResultStruct
{
    [Parameter("uint256", "epoch", 1)]
    public BigInteger Epoch { get; set; }

    [Parameter("address[]", "nodes", 2)]
    public List<string> Nodes { get; set; } = [];

    [Parameter("uint8[]", "availabilities", 3)]
    public List<byte> Availabilities { get; set; } = [];
}

public sealed class EpochResultSigningTests
{
    private readonly VoucherDomain _domain = new(1337, "0x5FbDB2315678afecb367f032d93F642f64180aa3");

    [Fact]
    public void The_digest_is_the_standard_eip712_hash_nethereum_computes_with_the_nodes_in_ascending_address_order()
    {
        var result = Result(7_777, ("0xfFfFfFfFfFfFfFfFfFfFfFfFfFfFfFfFfFfFfFfF", 3), ("0x0000000000000000000000000000000000000001", 255),
            ("0xAb5801a7D398351b8bE11C439e05C5B3259aeC9B", 0), ("0x5fbdb2315678afecb367f032d93f642f64180aa3", 128));
        var typedData = new TypedData<Domain>
        {
            Domain = new Domain { Name = "Naeural", Version = "1", ChainId = 1337, VerifyingContract = _domain.VerifyingContract },
            Types = MemberDescriptionFactory.GetTypesMemberDescription(typeof(Domain), typeof(EpochResultStruct)),
            PrimaryType = "EpochResult",
        };
        var message = new EpochResultStruct
        {
            Epoch = 7_777,
            Nodes = ["0x0000000000000000000000000000000000000001", "0x5fbdb2315678afecb367f032d93f642f64180aa3",
                     "0xab5801a7d398351b8be11c439e05c5b3259aec9b", "0xffffffffffffffffffffffffffffffffffffffff"],
            Availabilities = [255, 128, 0, 3],
        };

        var expected = Eip712TypedDataEncoder.Current.EncodeAndHashTypedData(message, typedData);

        Assert.Equal(Convert.ToHexString(expected), Convert.ToHexString(new EpochResultSigning(_domain).Digest(result)));
        Assert.Equal(message.Nodes, EpochResultSigning.Canonical(result).Select(e => e.Node));
    }

    [Fact]
    public void A_signed_result_recovers_its_observer_only_in_its_own_domain_and_for_exactly_that_result()
    {
        var observer = NodeKey.Generate();
        var node = NodeKey.Generate().Address;
        var result = Result(3, (node, 200));
        var signing = new EpochResultSigning(_domain);
        var signature = signing.Sign(observer, result);

        Assert.Equal(observer.Address, signing.RecoverSigner(result, signature));
        Assert.Equal(signature, result.Sign(observer, _domain));
        Assert.NotEqual(observer.Address, new EpochResultSigning(_domain with { ChainId = 1 }).RecoverSigner(result, signature));
        Assert.NotEqual(observer.Address, signing.RecoverSigner(result with { Epoch = 4 }, signature));
        Assert.NotEqual(observer.Address, signing.RecoverSigner(Result(3, (node, 201)), signature));
    }

    [Fact]
    public void A_result_whose_nodes_are_not_addresses_or_repeat_under_two_spellings_cannot_be_signed_and_has_no_signers()
    {
        var observer = NodeKey.Generate();
        var twice = Result(1, ("0xAb5801a7D398351b8bE11C439e05C5B3259aeC9B", 10), ("0xab5801a7d398351b8be11c439e05c5b3259aec9b", 10));
        var notAnAddress = Result(1, ("0xnode", 10));
        var signing = new EpochResultSigning(_domain);

        Assert.Throws<ArgumentException>(() => signing.Sign(observer, twice));
        Assert.Throws<ArgumentException>(() => signing.Sign(observer, notAnAddress));
        var valid = signing.Sign(observer, Result(1, ("0xab5801a7d398351b8be11c439e05c5b3259aec9b", 10)));
        Assert.Empty(signing.Signers(twice, [valid]));
        Assert.Null(signing.RecoverSigner(notAnAddress, valid));
    }

    private static EpochResult Result(long epoch, params (string Node, byte Availability)[] agreed) =>
        new(epoch, agreed.ToImmutableSortedDictionary(p => p.Node, p => p.Availability, StringComparer.Ordinal));
}
