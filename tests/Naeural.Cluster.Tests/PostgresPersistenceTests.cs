using Akka.Actor;
using Akka.Persistence;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Naeural.Actors.Pipelines;
using Naeural.Host.Hosting;
using Naeural.Testing;
using Xunit;
using Naeural.Actors.Serialization;

namespace Naeural.Cluster.Tests;

/// <summary>The tests that share one throwaway PostgreSQL server, started once for all of them.</summary>
[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresServer>
{
    public const string Name = "PostgreSQL";
}

/// <summary>PostgreSQL as the journal and snapshot store that several nodes share: in-process nodes and real host processes.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresPersistenceTests(PostgresServer postgres) : Akka.TestKit.Xunit2.TestKit
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(100);

    [Fact]
    public async Task A_pipeline_comes_back_on_a_new_node_sharing_the_database_and_its_payload_numbering_continues()
    {
        var database = await postgres.CreateDatabaseAsync("recovery");
        using var data = new TempDirectory();
        var developer = new Developer();
        long lastBefore;
        string firstNodeId;

        var first = await StartNodeAsync(Options(data.Sub("first"), database));
        try
        {
            firstNodeId = first.NodeId;
            var client = developer.ClientFor(first);
            await client.DeployAsync(Specs.Sensor("durable", "PASS_THROUGH", rate: 100));
            var collector = new PayloadCollector();
            await using (await collector.SubscribeAsync(client, "durable"))
            {
                await AwaitAssertAsync(() => Assert.True(collector.Payloads.Count >= 20), Bound, Poll);
            }

            lastBefore = collector.Payloads[^1].Sequence;
        }
        finally
        {
            await first.StopAsync();
        }

        // Another data folder: another node, with its own key, that has only the database in common with the first.
        var second = await StartNodeAsync(Options(data.Sub("second"), database));
        try
        {
            Assert.NotEqual(firstNodeId, second.NodeId);
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
            Assert.Equal(Enumerable.Range(0, sequences.Count).Select(i => lastBefore + 1 + i), sequences);

            // Payloads the first node had persisted but not yet delivered come with its signature; the rest are the new node's.
            Assert.All(collector.Payloads, p => Assert.True(p.Verified, $"payload {p.Sequence} carries a valid signature"));
            var signers = collector.Payloads.Select(p => p.Signer!.ToLowerInvariant()).Distinct().ToList();
            Assert.Equal(second.NodeId.ToLowerInvariant(), signers[^1]);
            Assert.Subset(new[] { firstNodeId.ToLowerInvariant(), second.NodeId.ToLowerInvariant() }.ToHashSet(), signers.ToHashSet());
        }
        finally
        {
            await second.StopAsync();
        }
    }

    [Fact]
    public async Task Two_nodes_starting_together_on_a_fresh_database_both_come_up_and_persist()
    {
        var database = await postgres.CreateDatabaseAsync("together");
        using var data = new TempDirectory();
        var seedPort = FreePort.Next();
        var seed = $"akka.tcp://{NaeuralAkkaSetup.SystemName}@127.0.0.1:{seedPort}";
        var options = new[]
        {
            Options(data.Sub("a"), database, port: seedPort),
            Options(data.Sub("b"), database, seeds: seed),
        };

        var nodes = await Task.WhenAll(options.Select(StartNodeAsync));
        try
        {
            // Each node writes an event and a snapshot through its own journal and snapshot store.
            var written = await Task.WhenAll(nodes.Select((node, i) =>
                node.System.ActorOf(Props.Create(() => new StoreProbe($"probe-{i}")))
                    .Ask<StoreProbe.Written>(new StoreProbe.Write($"from node {i}"), Bound)));

            Assert.All(written, w => Assert.Equal(1, w.SequenceNr));
            Assert.Equal(2L, await PostgresServer.ScalarAsync<long>(database,
                "SELECT count(*) FROM journal WHERE persistence_id LIKE 'probe-%'"));
            Assert.Equal(2L, await PostgresServer.ScalarAsync<long>(database,
                "SELECT count(*) FROM snapshot WHERE persistence_id LIKE 'probe-%'"));
        }
        finally
        {
            await Task.WhenAll(nodes.Select(n => n.StopAsync()));
        }
    }

    [Fact]
    public async Task The_schema_step_run_by_several_nodes_at_once_on_fresh_databases_never_fails()
    {
        // Unguarded, three concurrent CREATE TABLE IF NOT EXISTS rounds here failed 20 times in 30 (pg_type/pg_class
        // unique violations, "relation already exists").
        for (var round = 0; round < 10; round++)
        {
            var database = await postgres.CreateDatabaseAsync("schema");
            var persistence = PersistenceConfig.For(Options("unused", database));
            await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => Task.Run(() =>
                PersistenceSchema.EnsurePostgreSqlTablesAsync(persistence, NullLogger.Instance, CancellationToken.None))));

            Assert.Equal(3L, await PostgresServer.ScalarAsync<long>(database,
                "SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tablename IN ('journal', 'tags', 'snapshot')"));
        }
    }

    [Fact]
    public async Task A_host_process_started_with_persistence_postgresql_writes_its_journal_to_the_database()
    {
        var database = await postgres.CreateDatabaseAsync("process");
        using var data = new TempDirectory();
        await using var node = await NodeProcess.StartAsync(
        [
            "--port", FreePort.Next().ToString(), "--data", data.Sub("node"),
            "--persistence", "postgresql", "--connection-string", database,
        ]);

        await AssertNodeRecordedAsync(database, node.NodeId);
        Assert.False(File.Exists(Path.Combine(data.Sub("node"), "naeural.db")), "no SQLite journal beside the key");
    }

    [Fact]
    public async Task A_host_process_takes_its_postgresql_settings_from_NAEURAL_environment_variables()
    {
        var database = await postgres.CreateDatabaseAsync("environment");
        using var data = new TempDirectory();
        await using var node = await NodeProcess.StartAsync(
            ["--port", FreePort.Next().ToString(), "--data", data.Sub("node")],
            environment: new Dictionary<string, string>
            {
                ["NAEURAL__PERSISTENCE"] = "postgresql",
                ["NAEURAL__CONNECTIONSTRING"] = database,
            });

        await AssertNodeRecordedAsync(database, node.NodeId);
    }

    /// <summary>Every node records its offer in its sharded node entity (persistence id <c>node-{id}</c>) when it comes up.</summary>
    private async Task AssertNodeRecordedAsync(string database, string nodeId) =>
        await AwaitAssertAsync(async () =>
        {
            var rows = await PostgresServer.ScalarAsync<long>(database,
                $"SELECT count(*) FROM journal WHERE lower(persistence_id) = lower('node-{nodeId}')");
            Assert.True(rows > 0, $"no journal row of node-{nodeId}");
        }, Bound, TimeSpan.FromMilliseconds(250));

    private static NodeOptions Options(string dataDirectory, string database, int port = 0, string seeds = "") => new()
    {
        Port = port,
        Seeds = seeds,
        DataDirectory = dataDirectory,
        HeartbeatSeconds = 0.5,
        Persistence = PersistenceKind.PostgreSql,
        ConnectionString = database,
        Http = new HttpOptions { Port = 0 },
    };

    private static async Task<InProcessNode> StartNodeAsync(NodeOptions options)
    {
        var host = NodeHost.Build(options, extraMessageTypes: [typeof(StoreProbe.Wrote)]);
        await host.StartAsync();
        var node = InProcessNode.From(host);
        var up = new TaskCompletionSource();
        Akka.Cluster.Cluster.Get(node.System).RegisterOnMemberUp(() => up.TrySetResult());
        await up.Task.WaitAsync(TimeSpan.FromSeconds(60));
        return node;
    }

    /// <summary>Persists one event and saves one snapshot, then answers: proof that a node's journal and snapshot store work.</summary>
    private sealed class StoreProbe : ReceivePersistentActor
    {
        private IActorRef? _asker;

        public StoreProbe(string persistenceId)
        {
            PersistenceId = persistenceId;
            Recover<Wrote>(_ => { });
            Command<Write>(write =>
            {
                _asker = Sender;
                Persist(new Wrote(write.Text), wrote => SaveSnapshot(wrote));
            });
            Command<SaveSnapshotSuccess>(success => _asker?.Tell(new Written(success.Metadata.SequenceNr)));
            Command<SaveSnapshotFailure>(failure => _asker?.Tell(new Status.Failure(failure.Cause)));
        }

        public override string PersistenceId { get; }

        public sealed record Write(string Text);

        [WireName("tests.store-probe.wrote")]
        public sealed record Wrote(string Text);

        public sealed record Written(long SequenceNr);
    }
}
