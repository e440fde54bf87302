using Naeural.Actors.Pipelines;
using Naeural.Testing;
using Xunit;

namespace Naeural.Actors.Tests.Pipelines;

public sealed class EndToEndTests : Akka.TestKit.Xunit2.TestKit
{
    [Fact]
    public async Task A_pipeline_built_in_csharp_deploys_like_its_json()
    {
        await using var network = await InProcessNetwork.StartAsync(1);
        var client = new Developer().ClientFor(network[0]);
        var spec = new PipelineBuilder("built", "SyntheticSensor").With("CAP_RESOLUTION", 20)
            .Plugin("THRESHOLD_ALERT", p => p.Instance("hot").With("RAISE_THRESHOLD", 26).With("LOWER_THRESHOLD", 23))
            .Plugin("COUNTER", p => p.Instance("a").With("EMIT_EVERY", 10))
            .Build();

        var accepted = await client.DeployAsync(spec);

        Assert.Equal(NotificationCodes.PipelineOk, accepted.Code);
        var status = await network[0].PipelineStatusAsync(accepted.PipelineId);
        Assert.Equal<string>(["THRESHOLD_ALERT/hot", "COUNTER/a"], status.RunningInstances);
    }

    [Fact]
    public async Task The_shipped_demo_pipeline_file_is_valid()
    {
        var json = await File.ReadAllTextAsync(RepositoryRoot.File("examples", "demo-pipeline.json"));
        var result = new PipelineSpecParser(Naeural.Actors.Capture.SourceCatalogue.BuiltIn, Naeural.Actors.Plugins.PluginCatalogue.BuiltIn).Parse(json);

        Assert.True(result.IsValid, result.ErrorText);
    }

    [Fact]
    public async Task A_json_pipeline_deployed_on_a_three_member_network_delivers_signed_alerts_the_client_verifies()
    {
        await using var network = await InProcessNetwork.StartAsync(3);
        var developer = new Developer();
        await using var client = developer.Connect(network[1].EdgeAddress.ToString());
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
        var host = "";
        await AwaitAssertAsync(async () => host = Assert.Single(await client.GetPipelinesAsync()).NodeId, TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(200)); // gossiped
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
