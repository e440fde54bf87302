using System.Text.Json.Nodes;
using Akka.Actor;
using Akka.Hosting;
using Naeural.Actors.Client;
using Naeural.Host.Hosting;
using Naeural.Ledger.Billing;
using Naeural.Ledger.Channels;
using Naeural.Ledger.Epochs;
using Naeural.Ledger.Identity;
using Naeural.Testing;
using Nethereum.Web3.Accounts;
using Xunit;

namespace Naeural.Ledger.Tests.Channels;

/// <summary>A node whose settlement is the NaeuralLedger contract on a real ganache devnet (<c>--settlement evm</c>).</summary>
public sealed class EvmNodeSettlementTests(EvmDevnet devnet) : Akka.TestKit.Xunit2.TestKit("akka.loglevel = WARNING"), IClassFixture<EvmDevnet>
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(250);
    private const int Frames = 200;
    private const int Price = 2;

    [Fact]
    public void The_artifact_built_into_the_ledger_is_the_contract_compiled_from_source()
    {
        Assert.Equal(devnet.Contract, ContractArtifact.Embedded);
    }

    [Fact]
    public async Task Compiling_the_contract_for_a_test_leaves_the_committed_artifact_alone()
    {
        // Two test classes start a devnet at once: each rewrote chain/NaeuralLedger.json, and one read it half written (CI).
        var compiled = await EvmDevnet.CompileAsync(); // this process's compile (the fixture's, already done)

        var committed = RepositoryRoot.File("chain", "NaeuralLedger.json");
        Assert.True(File.GetLastWriteTimeUtc(committed) < System.Diagnostics.Process.GetCurrentProcess().StartTime.ToUniversalTime(),
            "a test rewrote the committed artifact");
        Assert.Equal(ContractArtifact.Embedded, compiled);
    }

    [Fact]
    public async Task A_node_told_another_chain_id_than_its_chain_has_refuses_to_start_naming_both()
    {
        var data = Directory.CreateTempSubdirectory("naeural-chain-id-");
        var options = new NodeOptions
        {
            Port = 0, DataDirectory = data.FullName, Http = new HttpOptions { Enabled = false },
            Ledger = new LedgerOptions { Settlement = SettlementKind.Evm, EvmUrl = devnet.Url, EvmContract = "0x" + new string('1', 40), EvmChainId = 1 },
        };
        using var host = NodeHost.Build(options);

        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => host.StartAsync());

        Assert.Contains("--evm-chain-id", refused.Message);
        Assert.Contains($"is chain {EvmDevnet.ChainId}", refused.Message);
        data.Delete(recursive: true);
    }

    [Fact]
    public async Task A_node_on_the_chain_settles_its_paid_channel_and_claims_its_epoch_reward_there()
    {
        var nodeKey = NodeKey.Generate();
        var developer = new Developer();
        await devnet.FundAsync(nodeKey.Address);
        await devnet.FundAsync(developer.Address);
        var accounts = new Dictionary<string, Account>(StringComparer.OrdinalIgnoreCase)
        {
            [developer.Address] = new(developer.Key.ExportPrivateKeyHex(), EvmDevnet.ChainId),
        };
        var chain = await EvmSettlement.DeployAsync(devnet.Url, devnet.Contract, devnet.Owner, a => accounts.GetValueOrDefault(a));
        await chain.MintAsync(developer.Address, 10_000);

        await using var network = await InProcessNetwork.StartAsync(1, _ => new NodeCustomization(Options: o =>
        {
            o.NodeKey = nodeKey.ExportPrivateKeyHex();
            o.PricePerUnit = Price;
            o.Metering.ReceiptPeriodSeconds = 0.3;
            (o.EpochSeconds, o.HeartbeatSeconds) = (4, 0.5);
            (o.Ledger.Settlement, o.Ledger.EvmUrl, o.Ledger.EvmContract, o.Ledger.EvmChainId) =
                (SettlementKind.Evm, devnet.Url, chain.ContractAddress, EvmDevnet.ChainId);
        }));
        var node = network[0];
        Assert.Equal(nodeKey.Address, node.NodeId);
        await using var client = NaeuralClient.Connect(node.EdgeAddress.ToString(), developer.Key, Developer.Options with { ExtraMessageTypes = LedgerMessages.Client });

        // The owner pays on chain: the channel is opened by the developer's transaction, the vouchers are for the contract's domain.
        await client.DeployAsync(Specs.Sensor("on-chain", "COUNTER", rate: 0, source: $"\"MAX_FRAMES\": {Frames}"));
        var terms = await client.OpenChannelOnLedgerAsync(developer.Key, node.NodeId, 5_000, ledger: chain);
        await using (var paying = await client.PayAsync(developer.Key, terms, PayerResume.Fresh, new PayerOptions { PollInterval = Poll }, ledger: chain))
        {
            await AwaitAssertAsync(async () => Assert.Equal(Frames * Price, (int)(await paying.GetStateAsync()).Paid), Bound, Poll);
        }

        var settled = await node.Registered<PaymentChannelEntity>().Ask<ChannelSettledAck>(new SettleNow(terms.Channel.ChannelId), Bound);

        Assert.Equal(Frames * Price, (int)settled.Paid);
        Assert.True((await chain.GetChannelAsync(terms.Channel.ChannelId))!.Settled);
        Assert.Equal([(new System.Numerics.BigInteger(Frames * Price), new System.Numerics.BigInteger(5_000 - (Frames * Price)))],
            await chain.GetSettlementEventsAsync(terms.Channel.ChannelId));
        Assert.Equal(Frames * Price, (int)await chain.BalanceOfAsync(node.NodeId));

        // The contract's owner registers the node as the only observer and funds an epoch; the node claims it by itself on chain.
        await chain.SetObserversAsync([node.NodeId], 1);
        var epoch = new EpochClock(node.Service<NodeOptions>().EpochGenesis, TimeSpan.FromSeconds(4))
            .EpochAt(DateTimeOffset.UtcNow) + 1;
        await chain.FundEpochAsync(epoch, 700);

        await AwaitAssertAsync(async () => Assert.Equal(700, (int)(await chain.GetEpochRewardAsync(epoch, node.NodeId)).Claimed), Bound, Poll);
        Assert.Equal([(node.NodeId, new System.Numerics.BigInteger(700))], await chain.GetRewardClaimEventsAsync(epoch));
        Assert.Equal((Frames * Price) + 700, (int)await chain.BalanceOfAsync(node.NodeId));

        // The node's HTTP API reads the same chain, and refuses requests meant for an embedded ledger it does not use.
        using var http = new HttpClient { BaseAddress = node.HttpAddress };
        var balances = JsonNode.Parse(await http.GetStringAsync($"/api/balances?address={node.NodeId}"))!;
        var epochs = JsonNode.Parse(await http.GetStringAsync("/api/epochs"))!;
        using var embeddedRequest = await http.PostAsync("/api/ledger", new StringContent("{}", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(("evm", chain.ContractAddress), ((string?)balances["settlement"]!["kind"], (string?)balances["settlement"]!["contract"]));
        Assert.Equal(((Frames * Price) + 700).ToString(), (string?)balances["balances"]![0]!["balance"]);
        Assert.Equal(node.NodeId, (string?)epochs["observers"]!["observers"]![0], StringComparer.OrdinalIgnoreCase);
        Assert.Equal((System.Net.HttpStatusCode.BadRequest, "SETTLEMENT_ON_CHAIN"),
            (embeddedRequest.StatusCode, (string?)JsonNode.Parse(await embeddedRequest.Content.ReadAsStringAsync())!["CODE"]));
    }
}
