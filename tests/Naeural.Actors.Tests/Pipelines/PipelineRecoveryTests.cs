using Microsoft.Extensions.Hosting;
using Naeural.Actors.Client;
using Naeural.Actors.Pipelines;
using Naeural.Host.Hosting;
using Naeural.Ledger.Identity;
using Naeural.Testing;
using Xunit;

namespace Naeural.Actors.Tests.Pipelines;

public sealed class PipelineRecoveryTests : Akka.TestKit.Xunit2.TestKit
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(100);

    [Fact]
    public async Task Pipelines_come_back_after_the_node_restarts_and_payload_numbering_continues()
    {
        using var data = new TempDirectory();
        var developer = new Developer();
        var options = new NodeOptions { Port = 0, DataDirectory = data.Sub("node"), HeartbeatSeconds = 0.5, Http = new HttpOptions { Port = 0 } };
        long lastBefore;

        var first = await StartAsync(options);
        try
        {
            var client = developer.ClientFor(first);
            await client.DeployAsync(Specs.Sensor("durable", "PASS_THROUGH", rate: 100));
            var collector = new PayloadCollector();
            await using (var subscription = await collector.SubscribeAsync(client, "durable"))
            {
                await AwaitAssertAsync(() => Assert.True(collector.Payloads.Count >= 20), Bound, Poll);
            }

            lastBefore = collector.Payloads[^1].Sequence;
        }
        finally
        {
            await first.StopAsync();
        }

        var second = await StartAsync(options);
        try
        {
            var client = developer.ClientFor(second);
            await AwaitAssertAsync(async () =>
            {
                var listed = Assert.Single(await client.GetPipelinesAsync());
                Assert.Equal(("durable", PipelineStatus.Running), (listed.Name, listed.Status));
            }, Bound, Poll);

            var collector = new PayloadCollector();
            await using var subscription = await collector.SubscribeAsync(client, "durable", after: lastBefore);
            await AwaitAssertAsync(() => Assert.True(collector.Payloads.Count >= 20), Bound, Poll);
            var sequences = collector.Payloads.Select(p => p.Sequence).ToList();
            Assert.Equal(lastBefore + 1, sequences[0]);
            Assert.Equal(Enumerable.Range(0, sequences.Count).Select(i => lastBefore + 1 + i), sequences);
        }
        finally
        {
            await second.StopAsync();
        }
    }

    private static async Task<InProcessNode> StartAsync(NodeOptions options)
    {
        var host = NodeHost.Build(options);
        await host.StartAsync();
        var node = InProcessNode.From(host);
        var up = new TaskCompletionSource();
        Akka.Cluster.Cluster.Get(node.System).RegisterOnMemberUp(() => up.TrySetResult());
        await up.Task.WaitAsync(TimeSpan.FromSeconds(60));
        return node;
    }
}
