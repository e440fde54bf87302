using Akka.Actor;
using Akka.Cluster;
using Akka.DistributedData;
using BenchmarkDotNet.Attributes;
using Naeural.Actors.Network;
using Naeural.Actors.Nodes;
using Naeural.Ledger.Identity;
using Naeural.Ledger.Signing;

namespace Naeural.Benchmarks.Network;

/// <summary>
/// What signed gossip costs one heartbeat round of a 20-node network, as seen by one reader: every node writes its heartbeat
/// into the LWW map and the reader reads the whole map. Baseline: today's unsigned path (write, read the entries as they are);
/// against it, in the same run: each heartbeat signed, then the reader's <see cref="HeartbeatBook"/> verifying the changed
/// entries, and the reader reading an unchanged map again (the verification cache). libsecp256k1 when installed.
/// Read Op/s and Ratio (one op = one round of 20 heartbeats).
/// </summary>
[Config(typeof(OperationsPerSecondConfig))]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 8)]
public class SignedHeartbeatCost
{
    private const int Nodes = 20;
    private const string Network = HeartbeatSigning.DefaultNetwork;
    private static readonly UniqueAddress Writer = new(Address.Parse("akka.tcp://naeural@127.0.0.1:4053"), 1);
    private NodeKey[] _keys = [];
    private NodeResources[] _resources = [];
    private HeartbeatBook _book = null!;
    private LWWDictionary<string, SignedHeartbeat> _signedMap = LWWDictionary<string, SignedHeartbeat>.Empty;
    private LWWDictionary<string, NodeResources> _plainMap = LWWDictionary<string, NodeResources>.Empty;
    private long _round;

    [GlobalSetup]
    public void Setup()
    {
        var backend = (ISecp256k1Backend?)NativeSecp256k1.TryCreate() ?? new ManagedSecp256k1();
        Console.WriteLine($"// secp256k1 backend: {backend.GetType().Name}");
        _keys = [.. Enumerable.Range(0, Nodes).Select(_ => NodeKey.Generate(backend))];
        _resources = [.. _keys.Select((k, i) => new NodeResources(k.Address, $"akka.tcp://naeural@127.0.0.1:{4053 + i}", $"node-{i}",
            16, 64_000, 32_000, 0.25, null, ["ANOMALY"], ["0xowner/p"], ["edge"], [], 5, 0, DateTimeOffset.UnixEpoch))];
        _book = new HeartbeatBook(new Secp256k1Verifier(backend), Network);
        SignedRound();
    }

    [Benchmark(Baseline = true, Description = "unsigned: 20 writes + read the map (today)")]
    public int UnsignedRound()
    {
        var round = ++_round;
        for (var i = 0; i < Nodes; i++)
        {
            _plainMap = _plainMap.SetItem(Writer, _resources[i].NodeId, _resources[i] with { Sequence = round });
        }

        _plainMap = _plainMap.ResetDelta(); // as the replicator does once a delta is sent
        return _plainMap.Entries.Count(e => e.Value.Cores > 0);
    }

    [Benchmark(Description = "signed: 20 sign + writes + verified read")]
    public int SignedRound()
    {
        var round = ++_round;
        for (var i = 0; i < Nodes; i++)
        {
            var signed = HeartbeatSigning.Sign(_resources[i] with { Sequence = round, UpdatedAt = DateTimeOffset.UnixEpoch.AddTicks(round) }, _keys[i], Network);
            _signedMap = _signedMap.SetItem(Writer, _resources[i].NodeId, signed);
        }

        _signedMap = _signedMap.ResetDelta();
        _book.Read(_signedMap.Entries);
        return _book.Accepted.Count;
    }

    [Benchmark(Description = "signed: read an unchanged map again (cached)")]
    public int CachedRead()
    {
        _book.Read(_signedMap.Entries);
        return _book.Accepted.Count;
    }
}
