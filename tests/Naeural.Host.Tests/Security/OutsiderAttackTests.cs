using System.Numerics;
using Akka.Actor;
using Naeural.Actors.Api;
using Naeural.Actors.Client;
using Naeural.Actors.Metering;
using Naeural.Actors.Payloads;
using Naeural.Ledger;
using Naeural.Ledger.Channels;
using Naeural.Ledger.Identity;
using Naeural.Testing;
using Xunit;

namespace Naeural.Host.Tests.Security;

/// <summary>
/// The attacks first tried on a default node, as an outsider would: an actor system that is no member and holds no key the
/// node knows connects to the remoting port and sends the node's own internal messages straight to its actors.
/// </summary>
public sealed class OutsiderAttackTests : Akka.TestKit.Xunit2.TestKit
{
    private const int Frames = 20;
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(200);
    private const string EmbeddedLedger = "/user/ledger/ledger/embedded-ledger";
    private const string WorkMeter = "/user/work-meter";

    [Fact]
    public async Task An_outsider_can_neither_mint_fund_nor_bill_work_nor_make_an_outbox_forget_what_its_owner_has_not_read()
    {
        var authority = NodeKey.Generate();
        var attacker = NodeKey.Generate();
        var developer = new Developer();
        await using var network = await InProcessNetwork.StartAsync(1, _ => new NodeCustomization(Options: o =>
        {
            o.PricePerUnit = 1;
            o.Metering.ReceiptPeriodSeconds = 0.3;
            o.Ledger.MintAuthorities = authority.Address;
        }));
        var node = network[0];
        var client = developer.ClientFor(node);
        await client.DeployAsync(Specs.Sensor("unread", "COUNTER", "\"EMIT_EVERY\": 1", rate: 0, source: $"\"MAX_FRAMES\": {Frames}"));
        var pipelineId = (await client.GetPipelinesAsync()).Single().PipelineId;
        await AwaitAssertAsync(async () => Assert.Equal(Frames, (int)(await BilledAsync(node, developer.Address))), Bound, Poll);

        await using (var outsider = NaeuralClient.Connect(node.Address.ToString(), attacker, Developer.Options with
        {
            ExtraMessageTypes =
            [
                .. LedgerMessages.Types, typeof(FundEpochRewards), typeof(MintTokens), typeof(SetRewardObservers),
                typeof(WorkDone), typeof(IssueReceiptsNow),
            ],
        }))
        {
            var system = outsider.System;
            var root = node.Address.ToString();
            system.ActorSelection(root + EmbeddedLedger).Tell(new FundEpochRewards(7, BigInteger.Pow(10, 30)));
            system.ActorSelection(root + EmbeddedLedger).Tell(new MintTokens(attacker.Address, BigInteger.Pow(10, 30)));
            system.ActorSelection(root + EmbeddedLedger).Tell(new SetRewardObservers([attacker.Address], 1));
            system.ActorSelection(root + WorkMeter).Tell(new WorkDone(developer.Address, pipelineId, "x", "frames", 1_000_000));
            system.ActorSelection(root + WorkMeter).Tell(IssueReceiptsNow.Instance);
            system.ActorSelection(root + "/system/sharding/pipeline").Tell(new AckPayloads(pipelineId, 1_000_000_000));
            // The front door answers after everything above was handed to its actors (one connection keeps order).
            await system.ActorSelection(root + NodeApi.Path).Ask<ActorIdentity>(new Identify(null), Bound);
        }

        await node.System.ActorSelection(WorkMeter).Ask<WorkReceiptsIssuedAck>(IssueReceiptsNow.Instance, Bound);
        Assert.Equal(Frames, (int)await BilledAsync(node, developer.Address));
        var gate = node.Registered<LedgerGate>();
        Assert.Equal(0, (int)(await gate.Ask<LedgerEpochReward>(new GetLedgerEpochReward(7, node.NodeId), Bound)).Reward.Pool);
        Assert.Equal(0, (int)(await gate.Ask<LedgerBalance>(new GetLedgerBalance(attacker.Address), Bound)).Balance);
        Assert.Empty((await gate.Ask<LedgerObservers>(GetLedgerObservers.Instance, Bound)).Registry.Observers);

        var unread = new PayloadCollector();
        await using (await unread.SubscribeAsync(client, "unread"))
        {
            await AwaitAssertAsync(() => Assert.Equal(Frames, unread.Payloads.Count(p => p.Data?["IDLE"] is null)), Bound, Poll);
        }

        Assert.Equal(1, unread.Payloads[0].Sequence);
    }

    private static async Task<BigInteger> BilledAsync(InProcessNode node, string owner) =>
        (await node.System.ActorSelection(WorkMeter).Ask<OwnerBilled>(new GetBilled(owner), TimeSpan.FromSeconds(5))).Billed;
}
