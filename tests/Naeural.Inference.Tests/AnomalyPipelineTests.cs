using Akka.Actor;
using Naeural.Actors.Capture;
using Naeural.Inference.Models;
using Naeural.Inference.Serving;
using Naeural.Testing;
using Xunit;

namespace Naeural.Inference.Tests;

public sealed class AnomalyPipelineTests : Akka.TestKit.Xunit2.TestKit
{
    private const int Frames = 3000;

    [Fact]
    public async Task Sensor_to_trained_anomaly_model_to_alert_flags_the_injected_anomalies_and_batches_across_pipelines()
    {
        await using var network = await InProcessNetwork.StartAsync(1);
        var node = network[0];
        var trained = AnomalyTraining.Train(new SyntheticSignal(seed: 1, anomalyProbability: 0.01));
        Directory.CreateDirectory(ModelFiles.FolderOf(node.DataDirectory));
        trained.Model.save(Path.Combine(ModelFiles.FolderOf(node.DataDirectory), "anomaly-autoencoder.dat"));
        var client = new Developer().ClientFor(node);
        var lines = new[] { new PayloadCollector(), new PayloadCollector() };
        var subscriptions = new List<Naeural.Actors.Client.PayloadSubscription>();

        for (var line = 0; line < 2; line++)
        {
            subscriptions.Add(await lines[line].SubscribeAsync(client, $"line-{line}"));
            await client.DeployAsync($$"""
                { "NAME": "line-{{line}}", "TYPE": "SyntheticSensor", "CAP_RESOLUTION": 0, "MAX_FRAMES": {{Frames}},
                  "SEED": {{10 + line}}, "ANOMALY_PROBABILITY": 0.01,
                  "PLUGINS": [ { "SIGNATURE": "ANOMALY_DETECTOR", "INSTANCES": [ { "INSTANCE_ID": "ae" } ] } ] }
                """);
        }

        for (var line = 0; line < 2; line++)
        {
            var expected = AnomalyRuns(seed: 10 + line);
            var collector = lines[line];
            await AwaitAssertAsync(() =>
            {
                var raised = collector.Payloads.Count(p => p.Data!["ALERT_STATE"]!.GetValue<string>() == "RAISED");
                Assert.InRange(raised, (int)(0.7 * expected), expected + 1);
            }, TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(200));

            Assert.All(collector.Payloads, p => Assert.True(
                p.Data!["IS_ANOMALY"]!.GetValue<bool>() == p.Data["SCORE"]!.GetValue<double>() > 1,
                $"alert state follows the score: {p.Data.ToJsonString()}"));
        }

        var stats = await node.System.ActorSelection("/user/inference").Ask<ModelServerStats>(
            new GetModelServerStatsFor("anomaly-autoencoder"), TimeSpan.FromSeconds(10));
        Assert.True(stats.LargestBatch > 1, $"windows of both pipelines were batched: {stats}");
        Assert.True(stats.Batches < stats.Requests, $"{stats.Batches} forward passes for {stats.Requests} windows");
        await AwaitAssertAsync(async () => Assert.Contains("anomaly-autoencoder",
            (await node.Client.GetNodesAsync()).Find(node.NodeId)!.Resources.Models), TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(100));
        foreach (var subscription in subscriptions)
        {
            await subscription.DisposeAsync();
        }
    }

    /// <summary>How many separate anomalies (runs at least a window apart) the stream injects: the alerts to expect.</summary>
    private static int AnomalyRuns(int seed)
    {
        var signal = new SyntheticSignal(seed, anomalyProbability: 0.01);
        var runs = 0;
        var lastAnomaly = -1000;
        for (var i = 0; i < Frames; i++)
        {
            if (signal.Next().Meta["anomaly"] == "1")
            {
                if (i - lastAnomaly > ModelCatalogue.AnomalyWindow + 1)
                {
                    runs++;
                }

                lastAnomaly = i;
            }
        }

        return runs;
    }
}
