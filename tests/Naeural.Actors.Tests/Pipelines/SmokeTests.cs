using System.Collections.Concurrent;
using Naeural.Actors.Client;
using Naeural.Testing;
using Xunit;

namespace Naeural.Actors.Tests.Pipelines;

public sealed class SmokeTests : Akka.TestKit.Xunit2.TestKit
{
    [Fact]
    public async Task A_deployed_pipeline_delivers_signed_payloads()
    {
        await using var network = await InProcessNetwork.StartAsync(1);
        var developer = new Developer();
        var client = developer.ClientFor(network[0]);
        var received = new ConcurrentQueue<ReceivedPayload>();

        var accepted = await client.DeployAsync("""
            { "NAME": "smoke", "TYPE": "SyntheticSensor", "CAP_RESOLUTION": 50,
              "PLUGINS": [ { "SIGNATURE": "PASS_THROUGH", "INSTANCES": [ { "INSTANCE_ID": "all" } ] } ] }
            """);
        Assert.Equal("PIPELINE_OK", accepted.Code);
        await using var subscription = await client.SubscribeAsync("smoke", received.Enqueue);

        await AwaitAssertAsync(() => Assert.True(received.Count >= 20), TimeSpan.FromSeconds(20), TimeSpan.FromMilliseconds(100));
        var payloads = received.ToArray();
        Assert.Equal(Enumerable.Range(1, payloads.Length).Select(i => (long)i), payloads.Select(p => p.Sequence));
        Assert.All(payloads, p => Assert.True(p.Verified));
        Assert.All(payloads, p => Assert.Equal(network[0].NodeId, p.Signer));
        Assert.Equal([network[0].NodeId, "smoke", "PASS_THROUGH", "all"], payloads[0].Path);
    }
}
