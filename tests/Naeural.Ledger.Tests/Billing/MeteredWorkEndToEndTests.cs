using Akka.Actor;
using Akka.Hosting;
using Naeural.Actors.Client;
using Naeural.Actors.Metering;
using Naeural.Actors.Security;
using Naeural.Ledger.Billing;
using Naeural.Ledger.Channels;
using Naeural.Ledger.Identity;
using Naeural.Testing;
using Xunit;

namespace Naeural.Ledger.Tests.Billing;

public sealed class MeteredWorkEndToEndTests : Akka.TestKit.Xunit2.TestKit
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(200);
    private const int Frames = 300;
    private const int Price = 3;

    /// <param name="nodes">With two, the client talks to the second node while the ledger singleton runs on the first.</param>
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public async Task An_owner_pays_a_priced_node_for_metered_work_and_the_settlement_splits_the_deposit_by_what_was_billed(int nodes)
    {
        var treasury = NodeKey.Generate();
        await using var network = await InProcessNetwork.StartAsync(nodes, _ => new NodeCustomization(Options: o =>
        {
            o.PricePerUnit = Price;
            o.Metering.ReceiptPeriodSeconds = 0.3;
            o.Ledger.MintAuthorities = treasury.Address;
        }));
        var developer = new Developer();
        await using var client = NaeuralClient.Connect(network[nodes - 1].EdgeAddress.ToString(), developer.Key,
            Developer.Options with { ExtraMessageTypes = LedgerMessages.Client });
        await client.Ledger(treasury).MintAsync(developer.Address, 10_000);
        await client.DeployAsync(Specs.Sensor("metered", "COUNTER", rate: 0, source: $"\"MAX_FRAMES\": {Frames}"));
        var hostId = "";
        await AwaitAssertAsync(async () => hostId = Assert.Single(await client.GetPipelinesAsync()).NodeId, Bound, Poll); // the directory is gossiped
        var host = network.Nodes.Single(n => n.NodeId == hostId);

        await using var channel = await client.OpenChannelAsync(developer.Key, host.NodeId, 5_000, new PayerOptions { PollInterval = Poll });

        await AwaitAssertAsync(async () =>
        {
            var paying = await channel.GetStateAsync();
            Assert.Equal((Frames * Price, Frames * Price), ((int)paying.VerifiedBilled, (int)paying.Paid));
        }, Bound, Poll);
        var payer = await channel.GetStateAsync();
        Assert.Equal((0, null), (payer.ReceiptsRefused, payer.LastVoucherRefusal));
        var account = await host.Registered<NodeBilling>().Ask<OwnerAccount>(new GetOwnerAccount(developer.Address), Bound);
        Assert.Equal((Frames * Price, Frames * Price, 0, false), ((int)account.Billed, (int)account.Collected, (int)account.Arrears, account.InArrears));
        Assert.Equal(channel.ChannelId, Assert.Single(account.Channels));

        // From the client's machine a settle must be signed by the payer or the payee: a stranger can't end the channel.
        // Through the client's edge, which asks the payee node's channels over the members' link.
        client.EdgeFor(host.NodeId).Tell(new SettleChannel(channel.ChannelId, null), ActorRefs.NoSender);
        var unsigned = await client.RequestAsync<ChannelRefused>(host.NodeId, new SettleChannel(channel.ChannelId));
        var stranger = await client.RequestAsync<ChannelRefused>(host.NodeId, SettleChannel.Sign(channel.ChannelId, NodeKey.Generate(), DateTimeOffset.UtcNow));
        Assert.Equal((PaymentChannelEntity.NotAuthorised, PaymentChannelEntity.NotAuthorised), (unsigned.Code, stranger.Code));
        var settled = Assert.IsType<ChannelSettledAck>(await client.SettleChannelAsync(host.NodeId, channel.ChannelId, developer.Key));

        Assert.Equal(Frames * Price, (int)settled.Paid);
        var ledger = client.Ledger(developer.Key);
        Assert.Equal(Frames * Price, (int)await ledger.BalanceOfAsync(host.NodeId));
        Assert.Equal(10_000 - Frames * Price, (int)await ledger.BalanceOfAsync(developer.Address)); // 5,000 deposited, 5,000 - billed back
    }

    [Fact]
    public async Task An_owner_who_does_not_pay_is_reported_in_arrears_once_past_the_credit_limit()
    {
        await using var network = await InProcessNetwork.StartAsync(1, _ => new NodeCustomization(Options: o =>
        {
            o.PricePerUnit = 2;
            o.Metering.ReceiptPeriodSeconds = 0.3;
            o.Metering.CreditLimit = 100;
        }));
        var node = network[0];
        var developer = new Developer();
        await developer.ClientFor(node).DeployAsync(Specs.Sensor("unpaid", "COUNTER", rate: 0, source: "\"MAX_FRAMES\": 200"));

        await AwaitAssertAsync(async () =>
        {
            var account = await node.Registered<NodeBilling>().Ask<OwnerAccount>(new GetOwnerAccount(developer.Address), Bound);
            Assert.Equal((400, 0, 400, true), ((int)account.Billed, (int)account.Collected, (int)account.Arrears, account.InArrears));
        }, Bound, Poll);
        var receipts = await node.Registered<WorkMeter>().Ask<WorkReceipts>(new GetReceipts(developer.Address, 0), Bound);
        Assert.All(receipts.Receipts, r => Assert.Null(WorkReceipt.Open(r, Developer.Options.Verifier!, NetworkIds.Default).Error));
    }
}
