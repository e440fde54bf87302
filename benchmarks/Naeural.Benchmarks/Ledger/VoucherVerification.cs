using BenchmarkDotNet.Attributes;
using Naeural.Ledger.Channels;
using Naeural.Ledger.Identity;
using Naeural.Ledger.Signing;

namespace Naeural.Benchmarks.Ledger;

/// <summary>
/// Vouchers verified per second (EIP-712 digest, recovery, all the channel rules) against raw secp256k1 recovery of a digest,
/// the baseline, in the same run. Read Op/s and Ratio.
/// </summary>
[Config(typeof(OperationsPerSecondConfig))]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 8)]
public class VoucherVerification
{
    private const string Channel = "0x4444444444444444444444444444444444444444444444444444444444444444";
    private readonly VoucherSigning _signing = new(new VoucherDomain(1337, "0x5FbDB2315678afecb367f032d93F642f64180aa3"));
    private readonly Secp256k1Verifier _verifier = new();
    private ChannelTerms _terms = null!;
    private SignedVoucher _voucher = null!;
    private byte[] _digest = [];

    [GlobalSetup]
    public void Setup()
    {
        var payer = NodeKey.Generate();
        _terms = new ChannelTerms(Channel, payer.Address, "0x000000000000000000000000000000000000dEaD", 1_000_000);
        _voucher = _signing.Sign(payer, new Voucher(Channel, 500, 1));
        _digest = _signing.Digest(_voucher.Voucher);
    }

    [Benchmark(Baseline = true, Description = "raw secp256k1 recover")]
    public string? RawRecover() => _verifier.RecoverFromDigest(_digest, _voucher.Signature);

    [Benchmark(Description = "voucher verified (EIP-712 + recover + rules)")]
    public bool VerifyVoucher() => VoucherRules.Check(_terms, ChannelBalance.Empty, _voucher, _signing).Accepted;
}
