using System.Text;
using BenchmarkDotNet.Attributes;
using Naeural.Actors.Payloads;
using Naeural.Actors.Security;
using Naeural.Ledger.Identity;
using Naeural.Ledger.Signing;

namespace Naeural.Benchmarks.Ledger;

/// <summary>
/// What <c>ENCRYPT_PAYLOADS</c> costs a node: building and signing a payload in clear (the baseline) against building,
/// sealing for the owner and signing it, in the same run; and the scheme alone (seal, open, one ECDH agreement).
/// Read Op/s and Ratio.
/// </summary>
[Config(typeof(OperationsPerSecondConfig))]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 8)]
public class PayloadEncryptionCost
{
    private static readonly PendingPayload Payload = new("THRESHOLD_ALERT", "overheat",
        """{"ALERT_STATE":"RAISED","VALUE":27.31,"SENSOR":3,"FRAME":4711,"THRESHOLD":26}""", DateTimeOffset.UnixEpoch.AddDays(20000));
    private static readonly byte[] Data = Encoding.UTF8.GetBytes(Payload.DataJson);
    private static readonly byte[] Context = Encoding.UTF8.GetBytes("""{"EE_DESTINATION":"0xowner","EE_MESSAGE_SEQ":42}""");
    private readonly NativeSecp256k1 _native = NativeSecp256k1.TryCreate() ?? throw new InvalidOperationException("apt-get install libsecp256k1-1");
    private NodeKey _node = null!;
    private NodeKey _owner = null!;
    private PayloadEncryption _encryption = null!;
    private byte[] _sealed = [];
    private byte[] _nodeSecret = [];
    private long _sequence;

    [GlobalSetup]
    public void Setup()
    {
        _node = NodeKey.Generate(_native);
        _owner = NodeKey.Generate(_native);
        _encryption = new PayloadEncryption(_node, _owner.PublicKey.ToArray(), _owner.Address);
        _sealed = _node.Seal(_owner.PublicKey, Data, Context);
        _nodeSecret = Convert.FromHexString(_node.ExportPrivateKeyHex()[2..]);
    }

    [Benchmark(Baseline = true, Description = "payload build + sign, in clear")]
    public string BuildInClear() => PayloadFormat.Build(_node.Address, "plant", Payload, ++_sequence, _node, NetworkIds.Default);

    [Benchmark(Description = "payload build + seal + sign (ENCRYPT_PAYLOADS)")]
    public string BuildEncrypted() => PayloadFormat.Build(_node.Address, "plant", Payload, ++_sequence, _node, NetworkIds.Default, _encryption);

    [Benchmark(Description = "seal (HKDF + AES-256-GCM, agreed secret cached)")]
    public byte[] Seal() => _node.Seal(_owner.PublicKey, Data, Context);

    [Benchmark(Description = "open (HKDF + AES-256-GCM, agreed secret cached)")]
    public byte[] Open() => _owner.Open(_node.PublicKey, _sealed, Context);

    [Benchmark(Description = "ECDH agreement, libsecp256k1 (once per peer key)")]
    public byte[] Agree()
    {
        var secret = new byte[32];
        _native.TryAgree(_nodeSecret, _owner.PublicKey, secret);
        return secret;
    }
}
