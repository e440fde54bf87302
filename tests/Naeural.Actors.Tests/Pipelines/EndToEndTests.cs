using Naeural.Actors.Pipelines;
using Naeural.Testing;
using Xunit;

namespace Naeural.Actors.Tests.Pipelines;

public sealed class EndToEndTests : Akka.TestKit.Xunit2.TestKit
{
    [Fact]
    public async Task A_json_pipeline_deployed_on_a_three_member_network_delivers_signed_alerts_the_client_verifies()
    {
        await using var network = await InProcessNetwork.StartAsync(3);
        var developer = new Developer();
        await using var client = developer.Connect(network[1].Address.ToString());
        var collector = new PayloadCollector();

        var accepted = await client.DeployAsync("""
            {
              "NAME": "plant-temperature",
              "TYPE": "SyntheticSensor",
              "CAP_RESOLUTION": 100,
              "SEED": 11,
              "ANOMALY_PROBABILITY": 0.02,
              "ANOMALY_MAGNITUDE": 10,
              "RECONNECTABLE": "YES",
              "PLUGINS": [
                { "SIGNATURE": "THRESHOLD_ALERT",
                  "INSTANCES": [ { "INSTANCE_ID": "overheat", "RAISE_THRESHOLD": 26, "LOWER_THRESHOLD": 23 } ] }
              ]
            }
            """);
        await using var subscription = await collector.SubscribeAsync(client, "plant-temperature");

        Assert.Equal(NotificationCodes.PipelineOk, accepted.Code);
        await AwaitAssertAsync(() => Assert.True(collector.Payloads.Count >= 6), TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(200));
        var host = (await client.GetPipelinesAsync()).Single().NodeId;
        Assert.Contains(host, network.Nodes.Select(n => n.NodeId));
        var alerts = collector.Payloads;
        Assert.All(alerts, a => Assert.True(a.Verified, "every payload carries a valid node signature"));
        Assert.All(alerts, a => Assert.Equal(host, a.Signer));
        Assert.Equal(Enumerable.Range(1, alerts.Count).Select(i => (long)i), alerts.Select(a => a.Sequence));
        var states = alerts.Select(a => a.Data!["ALERT_STATE"]!.GetValue<string>()).ToList();
        Assert.Equal(Enumerable.Range(0, states.Count).Select(i => i % 2 == 0 ? "RAISED" : "LOWERED"), states);
        Assert.All(alerts.Where(a => a.Data!["IS_ALERT"]!.GetValue<bool>()), a => Assert.True(a.Data!["VALUE"]!.GetValue<double>() >= 26));
    }
}
