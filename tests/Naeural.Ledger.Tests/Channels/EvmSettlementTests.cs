using Naeural.Ledger.Channels;
using Naeural.Ledger.Identity;
using Nethereum.Web3.Accounts;
using Xunit;

namespace Naeural.Ledger.Tests.Channels;

/// <summary>The settlement contract suite against the Solidity contract on a real ganache devnet.</summary>
public sealed class EvmSettlementTests(EvmDevnet devnet) : SettlementBackendContract("akka.loglevel = WARNING"), IClassFixture<EvmDevnet>
{
    protected override async Task<ISettlementBackend> CreateBackendAsync(NodeKey payer, NodeKey payee)
    {
        var accounts = new Dictionary<string, Account>(StringComparer.OrdinalIgnoreCase)
        {
            [payer.Address] = new(payer.ExportPrivateKeyHex(), EvmDevnet.ChainId),
            [payee.Address] = new(payee.ExportPrivateKeyHex(), EvmDevnet.ChainId),
        };
        await devnet.FundAsync(payer.Address);
        await devnet.FundAsync(payee.Address);
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
