using Microsoft.Extensions.Hosting;
using Naeural.Actors.Client;
using Naeural.Actors.Pipelines;
using Naeural.Actors.Serialization;
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

        var lastBefore = await DeployAndCollectAsync(options, developer, "durable");
        await RestartAndResumeAsync(options, developer, "durable", lastBefore);
    }

    /// <summary>
    /// An upgrade on the same data folder: the release before 2026-12-07 wrote its journal in the previous format
    /// (<see cref="WireFormat.V1"/>: Hyperion under CLR names); this one replays it and carries on in the contract format.
    /// </summary>
    [Fact]
    public async Task A_journal_the_previous_format_wrote_replays_and_the_pipeline_carries_on_in_the_contract_format()
    {
        using var data = new TempDirectory();
        var developer = new Developer();
        var previous = new NodeOptions
        {
            Port = 0, DataDirectory = data.Sub("node"), HeartbeatSeconds = 0.5, Http = new HttpOptions { Port = 0 }, WireFormat = WireFormat.V1,
        };

        var lastBefore = await DeployAndCollectAsync(previous, developer, "upgraded");
        Assert.Equal([HyperionV1Serializer.SerializerId], JournalSerializers(previous));

        await RestartAndResumeAsync(new NodeOptions
        {
            Port = 0, DataDirectory = previous.DataDirectory, HeartbeatSeconds = 0.5, Http = new HttpOptions { Port = 0 },
        }, developer, "upgraded", lastBefore);
        Assert.Equal([HyperionV1Serializer.SerializerId, ContractSerializer.SerializerId], JournalSerializers(previous));
    }

    /// <summary>Starts a node, deploys a sensor pipeline, takes at least 20 payloads, stops the node: the last number taken.</summary>
    private async Task<long> DeployAndCollectAsync(NodeOptions options, Developer developer, string name)
    {
        var node = await StartAsync(options);
        try
        {
            var client = developer.ClientFor(node);
            await client.DeployAsync(Specs.Sensor(name, "PASS_THROUGH", rate: 100));
            var collector = new PayloadCollector();
            await using (var subscription = await collector.SubscribeAsync(client, name))
            {
                await AwaitAssertAsync(() => Assert.True(collector.Payloads.Count >= 20), Bound, Poll);
            }

            return collector.Payloads[^1].Sequence;
        }
        finally
        {
            await node.StopAsync();
        }
    }

    /// <summary>Starts the node again: the pipeline runs, and its payloads go on from the one after <paramref name="lastBefore"/>, none skipped.</summary>
    private async Task RestartAndResumeAsync(NodeOptions options, Developer developer, string name, long lastBefore)
    {
        var node = await StartAsync(options);
        try
        {
            var client = developer.ClientFor(node);
            await AwaitAssertAsync(async () =>
            {
                var listed = Assert.Single(await client.GetPipelinesAsync());
                Assert.Equal((name, PipelineStatus.Running), (listed.Name, listed.Status));
            }, Bound, Poll);

            var collector = new PayloadCollector();
            await using var subscription = await collector.SubscribeAsync(client, name, after: lastBefore);
            await AwaitAssertAsync(() => Assert.True(collector.Payloads.Count >= 20), Bound, Poll);
            var sequences = collector.Payloads.Select(p => p.Sequence).ToList();
            Assert.Equal(Enumerable.Range(0, sequences.Count).Select(i => lastBefore + 1 + i), sequences);
        }
        finally
        {
            await node.StopAsync();
        }
    }

    /// <summary>The Naeural serializers the node's journal rows name (Akka.Persistence.Sql's <c>identifier</c> column; Akka's own are left out).</summary>
    private static List<int> JournalSerializers(NodeOptions options)
    {
        using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(options.FullDataDirectory, "naeural.db")}");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT DISTINCT identifier FROM journal WHERE identifier IN ({HyperionV1Serializer.SerializerId}, {ContractSerializer.SerializerId}) ORDER BY identifier";
        using var reader = command.ExecuteReader();
        var ids = new List<int>();
        while (reader.Read())
        {
            ids.Add(reader.GetInt32(0));
        }

        return ids;
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
