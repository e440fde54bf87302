using System.Numerics;
using Akka.Actor;
using Naeural.Actors.Metering;
using Naeural.Actors.Security;
using Naeural.Ledger.Identity;
using Naeural.Ledger.Signing;
using Xunit;

namespace Naeural.Actors.Tests.Metering;

public sealed class WorkMeterTests() : Akka.TestKit.Xunit2.TestKit("""
    akka.persistence.journal.plugin = "akka.persistence.journal.inmem"
    akka.persistence.snapshot-store.plugin = "akka.persistence.snapshot-store.inmem"
    akka.loglevel = WARNING
    """)
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);
    private const string Alice = "0x00000000000000000000000000000000000a11ce";
    private const string Bob = "0x0000000000000000000000000000000000000b0b";
    private readonly NodeKey _node = NodeKey.Generate();
    private readonly Secp256k1Verifier _verifier = new();

    [Fact]
    public async Task Receipts_add_up_units_per_owner_and_kind_priced_at_the_node_price_and_signed_by_the_node()
    {
        var meter = StartMeter(price: 3);
        meter.Tell(new WorkDone(Alice, $"{Alice}/cam", "COUNTER/main", WorkKinds.PluginFrame, 10));
        meter.Tell(new WorkDone(Alice, $"{Alice}/cam", "COUNTER/main", WorkKinds.PluginFrame, 5));
        meter.Tell(new WorkDone(Alice, $"{Alice}/cam", "mlp", WorkKinds.InferenceSample, 4));
        meter.Tell(new WorkDone(Bob, $"{Bob}/line", "COUNTER/main", WorkKinds.PluginFrame, 7));

        Assert.Equal(2, (await meter.Ask<WorkReceiptsIssuedAck>(IssueReceiptsNow.Instance, Bound)).Count);

        var alice = await OpenOnlyReceiptAsync(meter, Alice);
        Assert.Equal(_node.Address, alice.NodeId);
        Assert.Equal(Alice, alice.Owner);
        Assert.Equal(1, alice.Sequence);
        Assert.Equal([new(WorkKinds.InferenceSample, 4), new(WorkKinds.PluginFrame, 15)], alice.Units.ToList());
        Assert.Equal((new BigInteger(3), new BigInteger(19 * 3), new BigInteger(19 * 3)), (alice.PricePerUnit, alice.Amount, alice.BilledTotal));
        Assert.Equal(2, alice.Lines.Length);
        var bob = await OpenOnlyReceiptAsync(meter, Bob);
        Assert.Equal(21, (int)bob.Amount);
    }

    [Fact]
    public async Task Receipts_are_numbered_per_owner_and_carry_the_running_total_billed()
    {
        var meter = StartMeter(price: 2);
        meter.Tell(new WorkDone(Alice, "p", "S/i", WorkKinds.PluginFrame, 10));
        await meter.Ask<WorkReceiptsIssuedAck>(IssueReceiptsNow.Instance, Bound);
        Assert.Equal(0, (await meter.Ask<WorkReceiptsIssuedAck>(IssueReceiptsNow.Instance, Bound)).Count);
        meter.Tell(new WorkDone(Alice, "p", "S/i", WorkKinds.PluginFrame, 1));
        await meter.Ask<WorkReceiptsIssuedAck>(IssueReceiptsNow.Instance, Bound);

        var receipts = await meter.Ask<WorkReceipts>(new GetReceipts(Alice, 0), Bound);
        Assert.Equal([1L, 2L], receipts.Receipts.Select(r => r.Sequence));
        Assert.Equal([20, 22], receipts.Receipts.Select(r => (int)WorkReceipt.Open(r, _verifier, NetworkIds.Default).Receipt!.BilledTotal));
        Assert.Equal([2L], (await meter.Ask<WorkReceipts>(new GetReceipts(Alice, 1), Bound)).Receipts.Select(r => r.Sequence));
        var billed = await meter.Ask<OwnerBilled>(new GetBilled(Alice.ToUpperInvariant().Replace("0X", "0x")), Bound);
        Assert.Equal((22, 2L), ((int)billed.Billed, billed.LastSequence));
    }

    [Fact]
    public async Task Receipts_and_numbering_survive_a_restart()
    {
        var meter = StartMeter(price: 5);
        meter.Tell(new WorkDone(Alice, "p", "S/i", WorkKinds.PluginFrame, 3));
        await meter.Ask<WorkReceiptsIssuedAck>(IssueReceiptsNow.Instance, Bound);
        var before = (await meter.Ask<WorkReceipts>(new GetReceipts(Alice, 0), Bound)).Receipts.Single();
        await meter.GracefulStop(Bound);

        var restarted = StartMeter(price: 5);
        Assert.Equal(before, (await restarted.Ask<WorkReceipts>(new GetReceipts(Alice, 0), Bound)).Receipts.Single());
        restarted.Tell(new WorkDone(Alice, "p", "S/i", WorkKinds.PluginFrame, 1));
        await restarted.Ask<WorkReceiptsIssuedAck>(IssueReceiptsNow.Instance, Bound);

        var next = WorkReceipt.Open((await restarted.Ask<WorkReceipts>(new GetReceipts(Alice, 1), Bound)).Receipts.Single(), _verifier, NetworkIds.Default).Receipt!;
        Assert.Equal((2L, 20), (next.Sequence, (int)next.BilledTotal));
    }

    [Fact]
    public async Task Receipts_are_issued_on_the_period_timer()
    {
        var meter = StartMeter(price: 1, period: TimeSpan.FromMilliseconds(100));
        meter.Tell(new WorkDone(Alice, "p", "S/i", WorkKinds.PluginFrame, 4));

        await AwaitAssertAsync(async () => Assert.Equal(4, (int)(await meter.Ask<OwnerBilled>(new GetBilled(Alice), Bound)).Billed),
            Bound, TimeSpan.FromMilliseconds(50));
    }

    [Fact]
    public async Task A_receipt_that_was_altered_or_signed_by_another_key_does_not_open()
    {
        var meter = StartMeter(price: 3);
        meter.Tell(new WorkDone(Alice, "p", "S/i", WorkKinds.PluginFrame, 10));
        await meter.Ask<WorkReceiptsIssuedAck>(IssueReceiptsNow.Instance, Bound);
        var genuine = (await meter.Ask<WorkReceipts>(new GetReceipts(Alice, 0), Bound)).Receipts.Single();

        var inflated = genuine with { Json = genuine.Json.Replace("\"AMOUNT\":\"30\"", "\"AMOUNT\":\"300\"") };
        var impostor = WorkReceipt.Open(genuine, _verifier, NetworkIds.Default).Receipt!.Sign(NodeKey.Generate(), NetworkIds.Default);
        var mispriced = WorkReceipt.Open(genuine, _verifier, NetworkIds.Default).Receipt! with { Amount = 300, BilledTotal = 300 };

        Assert.Contains("signature", WorkReceipt.Open(inflated, _verifier, NetworkIds.Default).Error);
        Assert.Contains("not by the node", WorkReceipt.Open(impostor, _verifier, NetworkIds.Default).Error);
        Assert.Contains("AMOUNT 300", WorkReceipt.Open(mispriced.Sign(_node, NetworkIds.Default), _verifier, NetworkIds.Default).Error);
    }

    [Fact]
    public async Task A_receipt_signed_for_another_network_or_as_another_type_does_not_open()
    {
        var meter = StartMeter(price: 3);
        meter.Tell(new WorkDone(Alice, "p", "S/i", WorkKinds.PluginFrame, 10));
        await meter.Ask<WorkReceiptsIssuedAck>(IssueReceiptsNow.Instance, Bound);
        var genuine = (await meter.Ask<WorkReceipts>(new GetReceipts(Alice, 0), Bound)).Receipts.Single();
        var receipt = WorkReceipt.Open(genuine, _verifier, NetworkIds.Default).Receipt!;

        // The same node's receipt, signed for a testnet, read on the default network (and the other way round).
        var testnet = receipt.Sign(_node, "naeural-testnet");
        Assert.StartsWith(SignedDomain.WrongNetwork, WorkReceipt.Open(testnet, _verifier, NetworkIds.Default).Error);
        Assert.StartsWith(SignedDomain.WrongNetwork, WorkReceipt.Open(genuine, _verifier, "naeural-testnet").Error);
        Assert.Null(WorkReceipt.Open(testnet, _verifier, "naeural-testnet").Error);

        // The receipt's fields, signed by the same node as another kind of object (a payload): not a receipt.
        var other = (System.Text.Json.Nodes.JsonObject)System.Text.Json.Nodes.JsonNode.Parse(genuine.Json)!;
        other[SignedDomain.TypeField] = NetworkIds.PayloadType;
        var replayed = genuine with { Json = SignedJson.Sign(other, _node).ToJsonString() };
        Assert.StartsWith(SignedDomain.WrongType, WorkReceipt.Open(replayed, _verifier, NetworkIds.Default).Error);
    }

    private IActorRef StartMeter(long price, TimeSpan? period = null) =>
        Sys.ActorOf(WorkMeter.Props(_node.Address, _node, price, new MeteringSettings { ReceiptPeriod = period ?? TimeSpan.FromHours(1) }, TimeProvider.System));

    private async Task<WorkReceipt> OpenOnlyReceiptAsync(IActorRef meter, string owner)
    {
        var receipts = await meter.Ask<WorkReceipts>(new GetReceipts(owner, 0), Bound);
        var (receipt, error) = WorkReceipt.Open(Assert.Single(receipts.Receipts), _verifier, NetworkIds.Default);
        Assert.Null(error);
        return receipt!;
    }
}
