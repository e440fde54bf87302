using System.Text;
using BenchmarkDotNet.Attributes;
using Naeural.Ledger.Identity;
using Naeural.Ledger.Signing;

namespace Naeural.Benchmarks.Ledger;

/// <summary>
/// Sign and recover (what every payload and every command costs) with libsecp256k1 against NBitcoin's managed port,
/// the baseline, in the same run. Read Op/s and Ratio.
/// </summary>
[Config(typeof(OperationsPerSecondConfig))]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 8)]
public class SignatureBackends
{
    private static readonly byte[] Message = Encoding.UTF8.GetBytes("""{"EE_MESSAGE_SEQ":42,"DATA":{"VALUE":20.5}}""");
    private readonly NativeSecp256k1 _native = NativeSecp256k1.TryCreate() ?? throw new InvalidOperationException("apt-get install libsecp256k1-1");
    private readonly ManagedSecp256k1 _managed = new();
    private NodeKey _nativeKey = null!;
    private NodeKey _managedKey = null!;
    private string _signature = "";

    [GlobalSetup]
    public void Setup()
    {
        _nativeKey = NodeKey.Generate(_native);
        _managedKey = NodeKey.FromPrivateKeyHex(_nativeKey.ExportPrivateKeyHex(), _managed);
        _signature = _nativeKey.Sign(Message).Signature;
    }

    [Benchmark(Baseline = true, Description = "sign, managed")]
    public string SignManaged() => _managedKey.Sign(Message).Signature;

    [Benchmark(Description = "sign, libsecp256k1")]
    public string SignNative() => _nativeKey.Sign(Message).Signature;

    [Benchmark(Description = "recover, managed")]
    public string? RecoverManaged() => new Secp256k1Verifier(_managed).RecoverSigner(Message, _signature);

    [Benchmark(Description = "recover, libsecp256k1")]
    public string? RecoverNative() => new Secp256k1Verifier(_native).RecoverSigner(Message, _signature);
}
