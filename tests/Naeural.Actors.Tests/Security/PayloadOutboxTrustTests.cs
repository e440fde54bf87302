using Akka.Actor;
using Akka.Cluster.Sharding;
using Naeural.Actors.Commands;
using Naeural.Actors.Payloads;
using Naeural.Actors.Pipelines;
using Naeural.Testing;
using Xunit;

namespace Naeural.Actors.Tests.Security;

/// <summary>
/// The outbox against a hostile member: acknowledgements and resends that do not come from the relay of an owner-signed
/// subscription change nothing and send nothing.
/// </summary>
public sealed class PayloadOutboxTrustTests(SingleNodeFixture fixture) : Akka.TestKit.Xunit2.TestKit, IClassFixture<SingleNodeFixture>
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(50);

    private IActorRef Pipelines => ClusterSharding.Get(fixture.Node.System).ShardRegion(PipelineEntity.TypeName);

    [Fact]
    public async Task A_hostile_member_that_acknowledges_far_ahead_does_not_make_the_outbox_forget_the_owners_payloads()
    {
        var owner = new Developer();
        var client = owner.ClientFor(fixture.Node);
        await client.DeployAsync(Specs.Sensor("acked-by-a-stranger", "PASS_THROUGH", rate: 100));
        var pipelineId = $"{owner.Address.ToLowerInvariant()}/acked-by-a-stranger";
        var before = new PayloadCollector();
        await using (var subscription = await before.SubscribeAsync(client, "acked-by-a-stranger"))
        {
            await AwaitAssertAsync(() => Assert.True(before.Payloads.Count >= 20), Bound, Poll);
        }

        // The pipeline goes on producing while its owner is away: wait until it is well past what the owner got.
        var last = before.Payloads[^1].Sequence;
        var stored = CreateTestProbe(fixture.Node.System);
        fixture.Node.System.EventStream.Subscribe(stored.Ref, typeof(LocalPayloadsStored));
        stored.FishForMessage<LocalPayloadsStored>(s => s.PipelineId == pipelineId && s.Payloads[^1].Sequence > last + 30, Bound);

        var hostile = CreateTestProbe(fixture.Node.System);
        Pipelines.Tell(new AckPayloads(pipelineId, 1_000_000_000), hostile.Ref);
        Assert.Equal(PayloadOutbox.UnknownSubscription, hostile.ExpectMsg<PayloadSubscriptionRefused>(Bound).Code);

        var after = new PayloadCollector();
        await using var again = await after.SubscribeAsync(client, "acked-by-a-stranger", after: last);
        await AwaitAssertAsync(() => Assert.True(after.Payloads.Count >= 20), Bound, Poll);
        Assert.Equal(Enumerable.Range(1, 20).Select(i => last + i), after.Payloads.Take(20).Select(p => p.Sequence));
    }

    [Fact]
    public async Task A_resend_asked_for_a_strangers_probe_sends_it_nothing()
    {
        var owner = new Developer();
        var client = owner.ClientFor(fixture.Node);
        await client.DeployAsync(Specs.Sensor("resent-to-a-stranger", "PASS_THROUGH", rate: 100));
        var pipelineId = $"{owner.Address.ToLowerInvariant()}/resent-to-a-stranger";
        await AwaitAssertAsync(async () => Assert.True((await fixture.Node.PipelineStatusAsync(pipelineId)).Version > 0), Bound, Poll);

        var stranger = CreateTestProbe(fixture.Node.System);
        Pipelines.Tell(new ResendPayloads(pipelineId, 0), stranger.Ref);

        Assert.Equal(PayloadOutbox.UnknownSubscription, stranger.ExpectMsg<PayloadSubscriptionRefused>(Bound).Code);
        stranger.ExpectNoMsg(TimeSpan.FromSeconds(1));
    }

    [Fact]
    public async Task Only_the_owners_fresh_subscribe_opens_a_subscription_and_a_replayed_one_is_refused()
    {
        var owner = new Developer();
        await owner.ClientFor(fixture.Node).DeployAsync(Specs.Sensor("opened-by-whom", "PASS_THROUGH", rate: 50));
        var pipelineId = $"{owner.Address.ToLowerInvariant()}/opened-by-whom";

        var stranger = CreateTestProbe(fixture.Node.System);
        var strangers = SignedCommand.Create(PipelineActions.Subscribe, "opened-by-whom", null, new Developer().Key, DateTimeOffset.UtcNow,
            owner: owner.Address);
        Pipelines.Tell(new OpenPayloadSubscription(pipelineId, strangers), stranger.Ref);
        Assert.Equal(RejectionCodes.NotOwner, stranger.ExpectMsg<PayloadSubscriptionRefused>(Bound).Code);

        var relay = CreateTestProbe(fixture.Node.System);
        var owners = SignedCommand.Create(PipelineActions.Subscribe, "opened-by-whom", null, owner.Key, DateTimeOffset.UtcNow);
        Pipelines.Tell(new OpenPayloadSubscription(pipelineId, owners), relay.Ref);
        Assert.Equal(fixture.Node.NodeId, relay.ExpectMsg<PayloadSubscriptionAccepted>(Bound).NodeId, StringComparer.OrdinalIgnoreCase);
        relay.ExpectMsg<ResendFrom>(Bound);

        var replayer = CreateTestProbe(fixture.Node.System);
        Pipelines.Tell(new OpenPayloadSubscription(pipelineId, owners), replayer.Ref);
        Assert.Equal(RejectionCodes.Replayed, replayer.FishForMessage<PayloadSubscriptionRefused>(_ => true, Bound).Code);
    }
}
