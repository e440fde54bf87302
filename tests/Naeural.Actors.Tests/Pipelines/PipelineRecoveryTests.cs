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
        long lastBefore;

        var first = await StartAsync(previous);
        try
        {
            var client = developer.ClientFor(first);
            await client.DeployAsync(Specs.Sensor("upgraded", "PASS_THROUGH", rate: 100));
            var collector = new PayloadCollector();
            await using (var subscription = await collector.SubscribeAsync(client, "upgraded"))
            {
                await AwaitAssertAsync(() => Assert.True(collector.Payloads.Count >= 20), Bound, Poll);
            }

            lastBefore = collector.Payloads[^1].Sequence;
        }
        finally
        {
            await first.StopAsync();
        }

        Assert.Equal([HyperionV1Serializer.SerializerId], JournalSerializers(previous));

        var second = await StartAsync(new NodeOptions
        {
            Port = 0, DataDirectory = previous.DataDirectory, HeartbeatSeconds = 0.5, Http = new HttpOptions { Port = 0 },
        });
        try
        {
            var client = developer.ClientFor(second);
            await AwaitAssertAsync(async () =>
            {
                var listed = Assert.Single(await client.GetPipelinesAsync());
                Assert.Equal(("upgraded", PipelineStatus.Running), (listed.Name, listed.Status));
            }, Bound, Poll);

            var collector = new PayloadCollector();
            await using var subscription = await collector.SubscribeAsync(client, "upgraded", after: lastBefore);
            await AwaitAssertAsync(() => Assert.True(collector.Payloads.Count >= 20), Bound, Poll);
            var sequences = collector.Payloads.Select(p => p.Sequence).ToList();
            Assert.Equal(Enumerable.Range(0, sequences.Count).Select(i => lastBefore + 1 + i), sequences);
        }
        finally
        {
            await second.StopAsync();
        }

        Assert.Equal([HyperionV1Serializer.SerializerId, ContractSerializer.SerializerId], JournalSerializers(previous));
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
