using Naeural.Ledger.Channels;
using Naeural.Ledger.Identity;
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
}
