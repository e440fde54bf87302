using Naeural.Testing;
using Xunit;

namespace Naeural.Actors.Tests.Pipelines;

public sealed class PayloadRedeliveryTests(SingleNodeFixture fixture) : Akka.TestKit.Xunit2.TestKit, IClassFixture<SingleNodeFixture>
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(50);

    [Fact]
    public async Task A_subscriber_that_reconnects_gets_what_it_missed_with_nothing_lost_or_repeated()
    {
        var developer = new Developer();
        var client = developer.ClientFor(fixture.Node);
        await client.DeployAsync(Specs.Sensor("redelivery", "PASS_THROUGH", rate: 200));

        var before = new PayloadCollector();
        await using (var subscription = await before.SubscribeAsync(client, "redelivery"))
        {
            await AwaitAssertAsync(() => Assert.True(before.Payloads.Count >= 50), Bound, Poll);
        }

        // Disconnected: the pipeline keeps producing; the outbox keeps what nobody acknowledged.
        var last = before.Payloads[^1].Sequence;
        var after = new PayloadCollector();
        await AwaitAssertAsync(async () => Assert.True((await fixture.Node.PipelineStatusAsync(
            $"{developer.Address.ToLowerInvariant()}/redelivery")).Version > 0), Bound, Poll);
        await using (var subscription = await after.SubscribeAsync(client, "redelivery", after: last))
        {
            await AwaitAssertAsync(() => Assert.True(after.Payloads.Count >= 200), Bound, Poll);
            var state = await subscription.GetStateAsync();
            Assert.Equal(after.Payloads[^1].Sequence, state.LastDelivered);
        }

        var all = before.Payloads.Concat(after.Payloads).Select(p => p.Sequence).ToList();
        Assert.Equal(Enumerable.Range(1, all.Count).Select(i => (long)i), all);
        Assert.All(after.Payloads, p => Assert.True(p.Verified));
    }

    [Fact]
    public async Task A_second_subscription_from_zero_receives_only_what_was_not_acknowledged()
    {
        var developer = new Developer();
        var client = developer.ClientFor(fixture.Node);
        await client.DeployAsync(Specs.Sensor("acked", "PASS_THROUGH", rate: 100));
        var first = new PayloadCollector();
        await using (var subscription = await first.SubscribeAsync(client, "acked"))
        {
            await AwaitAssertAsync(() => Assert.True(first.Payloads.Count >= 30), Bound, Poll);
        }

        var second = new PayloadCollector();
        await using var again = await second.SubscribeAsync(client, "acked");
        await AwaitAssertAsync(() => Assert.NotEmpty(second.Payloads), Bound, Poll);

        Assert.True(second.Payloads[0].Sequence > first.Payloads[^1].Sequence,
            $"first subscription acknowledged up to {first.Payloads[^1].Sequence}, second started at {second.Payloads[0].Sequence}");
    }
}
