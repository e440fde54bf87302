using System.Text.Json.Nodes;
using Akka.Actor;
using Naeural.Actors.Api;
using Naeural.Actors.Client;
using Naeural.Actors.Commands;
using Naeural.Actors.Metering;
using Naeural.Actors.Pipelines;
using Naeural.Actors.Serialization;
using Naeural.Ledger;
using Naeural.Ledger.Billing;
using Naeural.Ledger.Signing;
using Naeural.Testing;
using Xunit;

namespace Naeural.Host.Tests.Security;

/// <summary>One node that has billed an owner for a pipeline's frames: what the read tests read, or try to.</summary>
public sealed class BilledOwnerNode : IAsyncLifetime
{
    public const int Frames = 5;

    public Developer Owner { get; } = new();

    public InProcessNetwork Network { get; private set; } = null!;

    public InProcessNode Node => Network[0];

    /// <summary>A client on its own actor system, as anyone who reaches the node's port, signing with <paramref name="key"/>'s key.</summary>
    public NaeuralClient Connect(Developer key, params Type[] extraTypes) =>
        NaeuralClient.Connect(Node.Address.ToString(), key.Key, Developer.Options with { ExtraMessageTypes = [.. LedgerMessages.Types, .. extraTypes] });

    public async Task InitializeAsync()
    {
        Network = await InProcessNetwork.StartAsync(1, _ => new NodeCustomization(Options: o =>
        {
            o.PricePerUnit = 1;
            o.Metering.ReceiptPeriodSeconds = 0.3;
        }));
        await Owner.ClientFor(Node).DeployAsync(Specs.Sensor("billed", "COUNTER", "\"EMIT_EVERY\": 1", rate: 0, source: $"\"MAX_FRAMES\": {Frames}"));
        var deadline = DateTimeOffset.UtcNow.AddSeconds(30);
        while ((await Node.Registered<WorkMeter>().Ask<OwnerBilled>(new GetBilled(Owner.Address), TimeSpan.FromSeconds(5))).Billed < Frames)
        {
            Assert.True(DateTimeOffset.UtcNow < deadline, "the owner's frames were never billed");
            await Node.Registered<WorkMeter>().Ask<WorkReceiptsIssuedAck>(IssueReceiptsNow.Instance, TimeSpan.FromSeconds(5));
        }
    }

    public Task DisposeAsync() => Network.DisposeAsync().AsTask();
}

/// <summary>
/// What belongs to an owner (receipts, billed total, account, pipelines) is read only with a read its owner (or the node's
/// operator) signed, once; the unsigned queries never cross the wire.
/// </summary>
public sealed class SignedReadTests(BilledOwnerNode fixture) : Akka.TestKit.Xunit2.TestKit, IClassFixture<BilledOwnerNode>
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task A_stranger_asking_for_an_owners_receipts_billed_total_account_or_pipelines_is_refused_NOT_OWNER_and_learns_nothing()
    {
        var owner = fixture.Owner.Address;
        await using var stranger = fixture.Connect(new Developer());

        foreach (var (action, payload) in new (string, JsonNode?)[]
                 {
                     (ReadActions.Receipts, null), (ReadActions.Billed, null), (ReadActions.Account, null), (ReadActions.Pipelines, null),
                     (ReadActions.Pipelines, new JsonObject { [ReadActions.AllField] = true }), (ReadActions.BillingOwners, null),
                 })
        {
            var refused = await Assert.ThrowsAsync<PipelineCommandException>(() => stranger.ReadAsync<object>(action, payload?.DeepClone(), owner));
            Assert.Equal(RejectionCodes.NotOwner, refused.Code);
        }

        // Its own reads answer only what is its own: nothing; and everyone's pipelines or billing owners are the operator's.
        Assert.Empty((await stranger.GetReceiptsAsync()).Receipts);
        Assert.Equal(0, (int)(await stranger.GetBilledAsync()).Billed);
        Assert.Empty(await stranger.GetPipelinesAsync());
        Assert.Equal(RejectionCodes.NotOwner, (await Assert.ThrowsAsync<PipelineCommandException>(() => stranger.GetPipelinesAsync(onlyMine: false))).Code);
        Assert.Equal(RejectionCodes.NotOwner, (await Assert.ThrowsAsync<PipelineCommandException>(() => stranger.GetBillingOwnersAsync())).Code);
    }

    [Fact]
    public async Task The_owners_signed_reads_answer_its_receipts_billed_total_account_and_pipelines_and_the_operator_reads_everyones()
    {
        await using var owner = fixture.Connect(fixture.Owner);

        var receipts = await owner.GetReceiptsAsync();
        Assert.NotEmpty(receipts.Receipts);
        var opened = receipts.Receipts.Select(r => WorkReceipt.Open(r, new Secp256k1Verifier(), owner.NetworkId).Receipt!).ToList();
        Assert.All(opened, r => Assert.Equal(fixture.Node.NodeId, r.NodeId, StringComparer.OrdinalIgnoreCase));
        Assert.Equal(BilledOwnerNode.Frames, (int)opened[^1].BilledTotal);
        Assert.Equal(BilledOwnerNode.Frames, (int)(await owner.GetBilledAsync()).Billed);
        Assert.Equal(BilledOwnerNode.Frames, (int)(await owner.GetAccountAsync()).Billed);
        Assert.Equal("billed", Assert.Single(await owner.GetPipelinesAsync()).Name);

        // The operator signs with the node key: it reads any owner's, everyone's pipelines, and the owners it bills.
        var operatorClient = fixture.Node.Client;
        Assert.Equal(receipts.LastSequence, (await operatorClient.ReadAsync<WorkReceipts>(ReadActions.Receipts, owner: fixture.Owner.Address)).LastSequence);
        Assert.Contains(await operatorClient.GetPipelinesAsync(onlyMine: false), p => p.Name == "billed");
        Assert.NotNull(await operatorClient.GetBillingOwnersAsync());
    }

    [Fact]
    public async Task A_signed_read_sent_again_is_refused_REPLAYED_and_its_sender_gets_no_data()
    {
        await using var owner = fixture.Connect(fixture.Owner);
        await using var eavesdropper = fixture.Connect(new Developer());
        var read = SignedCommand.Create(ReadActions.Receipts, "", new JsonObject { [ReadActions.NodeField] = fixture.Node.NodeId },
            fixture.Owner.Key, DateTimeOffset.UtcNow);
        var door = fixture.Node.Address + NodeApi.Path;

        Assert.NotEmpty((await owner.System.ActorSelection(door).Ask<WorkReceipts>(read, Bound)).Receipts);

        var again = await eavesdropper.System.ActorSelection(door).Ask<object>(read, Bound);
        Assert.Equal(RejectionCodes.Replayed, Assert.IsType<CommandRejected>(again).Code);
    }

    [Fact]
    public async Task A_read_signed_for_another_node_is_refused_WRONG_NODE_so_a_node_that_saw_it_cannot_replay_it_elsewhere()
    {
        await using var owner = fixture.Connect(fixture.Owner);
        var elsewhere = new Developer().Address; // the node the owner meant to ask (a hostile one, say), not this one
        var unnamed = SignedCommand.Create(ReadActions.Receipts, "", null, fixture.Owner.Key, DateTimeOffset.UtcNow);
        var named = SignedCommand.Create(ReadActions.Receipts, "", new JsonObject { [ReadActions.NodeField] = elsewhere },
            fixture.Owner.Key, DateTimeOffset.UtcNow);

        foreach (var read in new[] { unnamed, named })
        {
            var answer = await owner.RequestAsync<object>(read);
            Assert.Equal(RejectionCodes.WrongNode, Assert.IsType<CommandRejected>(answer).Code);
        }

        Assert.Equal(fixture.Node.NodeId, await owner.NodeIdAsync(), StringComparer.OrdinalIgnoreCase);
        Assert.NotEmpty((await owner.GetReceiptsAsync()).Receipts);
    }

    [Fact]
    public async Task Unsigned_reads_from_another_actor_system_are_refused_by_the_nodes_serializer_and_answered_never()
    {
        Type[] unsigned = [typeof(GetReceipts), typeof(GetBilled), typeof(GetPipelines), typeof(GetOwnerAccount), typeof(GetBillingOwners)];
        var refusals = CreateTestProbe(fixture.Node.System);
        fixture.Node.System.EventStream.Subscribe(refusals.Ref, typeof(MessageRefused));
        // Its own serializer writes them, as a hostile peer's would.
        await using var stranger = fixture.Connect(new Developer(), unsigned);
        var answers = CreateTestProbe(stranger.System);
        var root = fixture.Node.Address.ToString();
        var owner = fixture.Owner.Address;

        stranger.System.ActorSelection(root + WorkMeterEndpoint.Path).Tell(new GetReceipts(owner, 0), answers.Ref);
        stranger.System.ActorSelection(root + WorkMeterEndpoint.Path).Tell(new GetBilled(owner), answers.Ref);
        stranger.System.ActorSelection(root + NodeApi.Path).Tell(new GetPipelines(owner), answers.Ref);
        stranger.System.ActorSelection(root + NodeBilling.Path).Tell(new GetOwnerAccount(owner), answers.Ref);
        stranger.System.ActorSelection(root + NodeBilling.Path).Tell(GetBillingOwners.Instance, answers.Ref);

        var refused = new HashSet<string>();
        while (refused.Count < unsigned.Length)
        {
            var refusal = refusals.ExpectMsg<MessageRefused>(Bound);
            Assert.Equal(RefusalSide.Inbound, refusal.Side);
            refused.Add(refusal.TypeName);
        }

        Assert.Equal(unsigned.Select(MessageAllowList.ManifestFor).ToHashSet(), refused); // the wire names the stranger wrote
        // The front door answers after everything above was handed to the node (one connection keeps order): no answer came.
        await stranger.System.ActorSelection(root + NodeApi.Path).Ask<ActorIdentity>(new Identify(null), Bound);
        answers.ExpectNoMsg(TimeSpan.FromMilliseconds(300));
    }
}
