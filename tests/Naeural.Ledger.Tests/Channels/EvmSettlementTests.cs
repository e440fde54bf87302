using System.Collections.Immutable;
using System.Numerics;
using Naeural.Ledger.Channels;
using Naeural.Ledger.Epochs;
using Naeural.Ledger.Identity;
using Nethereum.ABI.FunctionEncoding;
using Nethereum.Web3;
using Nethereum.Web3.Accounts;
using Xunit;

namespace Naeural.Ledger.Tests.Channels;

/// <summary>The settlement contract suite against the Solidity contract on a real ganache devnet.</summary>
public sealed class EvmSettlementTests(EvmDevnet devnet) : SettlementBackendContract("akka.loglevel = WARNING"), IClassFixture<EvmDevnet>
{
    protected override async Task<ISettlementBackend> CreateBackendAsync(params NodeKey[] parties)
    {
        var accounts = parties.ToDictionary(p => p.Address, p => new Account(p.ExportPrivateKeyHex(), EvmDevnet.ChainId), StringComparer.OrdinalIgnoreCase);
        foreach (var party in parties)
        {
            await devnet.FundAsync(party.Address);
        }

        return await EvmSettlement.DeployAsync(devnet.Url, devnet.Contract, devnet.Owner, a => accounts.GetValueOrDefault(a));
    }

    protected override Task AdvanceAsync(TimeSpan by) => devnet.AdvanceAsync(by);

    protected override TimeProvider Clock => devnet.Clock;

    protected override async Task<ISettlementBackend?> StrangerAsync(NodeKey stranger)
    {
        await devnet.FundAsync(stranger.Address);
        return await EvmSettlement.AttachAsync(devnet.Url, devnet.Contract, ((EvmSettlement)Backend).ContractAddress, _ => null,
            owner: new Account(stranger.ExportPrivateKeyHex(), EvmDevnet.ChainId));
    }

    [Fact]
    public async Task Deploying_unless_present_deploys_once_and_then_attaches_and_refuses_someone_elses_ledger()
    {
        var nowhere = "0x" + Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(20)).ToLowerInvariant();

        var (first, firstDeployed) = await EvmSettlement.DeployUnlessPresentAsync(devnet.Url, devnet.Contract, devnet.Owner, nowhere, _ => null);
        var (again, againDeployed) = await EvmSettlement.DeployUnlessPresentAsync(devnet.Url, devnet.Contract, devnet.Owner, first.ContractAddress, _ => null);
        var stranger = new Account(NodeKey.Generate().ExportPrivateKeyHex(), EvmDevnet.ChainId);
        var refused = await Assert.ThrowsAsync<SettlementException>(() =>
            EvmSettlement.DeployUnlessPresentAsync(devnet.Url, devnet.Contract, stranger, first.ContractAddress, _ => null));

        Assert.True(firstDeployed);
        Assert.NotEqual(nowhere, first.ContractAddress, StringComparer.OrdinalIgnoreCase);
        Assert.False(againDeployed);
        Assert.Equal(first.ContractAddress, again.ContractAddress);
        Assert.Contains($"owned by {devnet.Owner.Address}", refused.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_settlement_is_on_chain_as_one_event_with_the_amounts()
    {
        var payer = NodeKey.Generate();
        var payee = NodeKey.Generate();
        var backend = (EvmSettlement)await CreateBackendAsync(payer, payee);
        var signing = new VoucherSigning(backend.Domain);
        var terms = new ChannelTerms("0x" + new string('7', 64), payer.Address, payee.Address, 5_000);
        await backend.MintAsync(payer.Address, 5_000);
        await backend.OpenChannelAsync(payer.Address, terms, TimeSpan.FromDays(1));

        await backend.SettleAsync(payee.Address, signing.Sign(payer, new Voucher(terms.ChannelId, 1_234, 9)));

        var events = await backend.GetSettlementEventsAsync(terms.ChannelId);
        Assert.Equal([(new System.Numerics.BigInteger(1_234), new System.Numerics.BigInteger(3_766))], events);
        Assert.Equal(1_234, await backend.BalanceOfAsync(payee.Address));
    }

    [Fact]
    public async Task A_reward_claim_is_on_chain_as_one_event_and_the_contract_refuses_nodes_that_do_not_ascend()
    {
        var observers = Enumerable.Range(0, 3).Select(_ => NodeKey.Generate()).ToArray();
        var nodes = Enumerable.Range(0, 2).Select(_ => NodeKey.Generate()).ToArray();
        var backend = (EvmSettlement)await CreateBackendAsync(nodes);
        await backend.SetObserversAsync([.. observers.Select(o => o.Address)], 2);
        await backend.FundEpochAsync(1, 900);
        var result = new EpochResult(1, ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal,
            [KeyValuePair.Create(nodes[0].Address.ToLowerInvariant(), (byte)200), KeyValuePair.Create(nodes[1].Address.ToLowerInvariant(), (byte)100)]));
        var signatures = observers.Take(2).Select(o => result.Sign(o, backend.Domain)).ToList();
        var ascending = EpochResultSigning.Canonical(result);
        var claim = new Web3(new Account(nodes[0].ExportPrivateKeyHex(), EvmDevnet.ChainId), devnet.Url).Eth
            .GetContract(devnet.Contract.Abi, backend.ContractAddress).GetFunction("claimReward");
        var bytes = signatures.Select(s => Convert.FromHexString(s[2..])).ToList();

        foreach (var order in new[] { ascending.Reverse().ToList(), [ascending[0], ascending[0]] })
        {
            var refused = await Assert.ThrowsAsync<SmartContractRevertException>(() => claim.EstimateGasAsync(nodes[0].Address, null, null,
                new BigInteger(1), order.Select(e => e.Node).ToList(), order.Select(e => new BigInteger(e.Availability)).ToList(), bytes));
            Assert.StartsWith("BAD_RESULT", refused.RevertMessage);
        }

        await backend.ClaimRewardAsync(nodes[0].Address, result, signatures);

        Assert.Equal([(nodes[0].Address, new BigInteger(600))], await backend.GetRewardClaimEventsAsync(1));
        Assert.Empty(await backend.GetRewardClaimEventsAsync(2));
    }
}
