using System.Collections.Immutable;
using Akka.Actor;
using Akka.Configuration;
using Akka.Serialization;
using BenchmarkDotNet.Attributes;
using Naeural.Actors.Network;
using Naeural.Actors.Nodes;
using Naeural.Actors.Payloads;
using Naeural.Actors.Pipelines;
using Naeural.Actors.Serialization;

namespace Naeural.Benchmarks.Kernel;

/// <summary>
/// What the wire contract costs: one message written and read back by <see cref="ContractSerializer"/> (JSON under stable
/// names, what nodes write since 2026-12-07) against <see cref="HyperionV1Serializer"/> (Hyperion under CLR names, what they
/// wrote before), in the same run. Messages: a batch of 64 signed payloads (the payload path), a signed heartbeat (gossip)
/// and a pipeline's snapshot with 256 recent nonces (the journal). Read Op/s and Ratio; the setup prints each one's bytes.
/// </summary>
[Config(typeof(OperationsPerSecondConfig))]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 10)]
public class WireFormatCost
{
    private ActorSystem _system = null!;
    private ActorSystem _previous = null!;
    private SerializerWithStringManifest _contract = null!;
    private SerializerWithStringManifest _v1 = null!;
    private object _message = null!;

    [Params("payload batch", "signed heartbeat", "pipeline snapshot")]
    public string Message { get; set; } = "payload batch";

    [GlobalSetup]
    public void Setup()
    {
        _system = ActorSystem.Create("wire-format", SerializationConfig.For(KernelMessages.Types)
            .WithFallback(ConfigurationFactory.ParseString("akka.loglevel = ERROR")));
        _contract = (SerializerWithStringManifest)_system.Serialization.FindSerializerForType(typeof(object));
        _previous = ActorSystem.Create("wire-format-v1", SerializationConfig.For(KernelMessages.Types, [], SerializationConfig.DefaultMaxMessageBytes, WireFormat.V1)
            .WithFallback(ConfigurationFactory.ParseString("akka.loglevel = ERROR")));
        _v1 = (SerializerWithStringManifest)_previous.Serialization.FindSerializerForType(typeof(object));
        _message = Message switch
        {
            "payload batch" => new PayloadBatch("0x5fA1c0ffee/sensor-7", [.. Enumerable.Range(1, 64).Select(i => new PayloadDelivered(
                "0x5fA1c0ffee/sensor-7", i, $$"""{"PIPELINE":"sensor-7","SEQ":{{i}},"DATA":{"value":{{i * 0.25}},"anomaly":false},"SIGNER":"0x5fA1c0ffee","SIGNATURE":"{{new string('a', 130)}}"}"""))]),
            "signed heartbeat" => new SignedHeartbeat(new NodeResources("0x0e16ef18DD219eb16984CF1A00c949F0b820B559", "akka.tcp://naeural@10.0.0.7:4053",
                "edge-7", 16, 64_000, 32_000, 0.25, null, ["ANOMALY", "STATS"], [.. Enumerable.Range(0, 20).Select(i => $"0xowner/p{i}")], ["edge", "eu"], [],
                5, 0, DateTimeOffset.UnixEpoch), new string('b', 130)),
            _ => new PipelineSnapshot("0x5fA1c0ffee", new string('s', 800), PipelineStatus.Running, 42,
                Enumerable.Range(0, 256).ToImmutableDictionary(i => $"nonce-{i:x8}", i => 1_765_000_000_000L + i), "04" + new string('c', 128)),
        };
        Console.WriteLine($"// {Message}: contract {_contract.ToBinary(_message).Length} bytes, previous format {_v1.ToBinary(_message).Length} bytes");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _system.Dispose();
        _previous.Dispose();
    }

    [Benchmark(Baseline = true, Description = "previous format (Hyperion): write + read")]
    public object PreviousFormat() => _v1.FromBinary(_v1.ToBinary(_message), _v1.Manifest(_message));

    [Benchmark(Description = "contract (JSON, stable names): write + read")]
    public object Contract() => _contract.FromBinary(_contract.ToBinary(_message), _contract.Manifest(_message));
}
