using System.CommandLine;
using System.Diagnostics;
using System.Text.Json.Nodes;
using Naeural.Actors.Payloads;
using Naeural.Actors.Security;
using Naeural.Inference.Models;
using Naeural.Ledger.Identity;
using Naeural.Ledger.Signing;
using Spectre.Console;
using TorchSharp;

namespace Naeural.Host.Cli;

/// <summary>
/// <c>bench</c>: a quick look at what this machine does, each figure beside its baseline measured in the same run (signing
/// with libsecp256k1 vs the managed port, a signed payload vs its plain JSON, batched vs one-at-a-time model forwards).
/// For rigorous numbers run the BenchmarkDotNet suite (<c>benchmarks/Naeural.Benchmarks</c>).
/// </summary>
public static class BenchCommand
{
    private sealed record Case(string Name, string Baseline, Func<long> Run, Func<long> RunBaseline, string Unit);

    public static Command Create()
    {
        var seconds = new Option<double>("--seconds") { Description = "How long each measurement runs", DefaultValueFactory = _ => 1 };
        var command = new Command("bench", "Quick measurements of this machine, each with its baseline and the ratio") { seconds };
        command.SetAction(result =>
        {
            var duration = TimeSpan.FromSeconds(result.GetValue(seconds));
            var cases = Cases();
            var rows = new List<(Case Case, double Rate, double Baseline)>();
            var console = CliConsole.Create();
            CliConsole.ProgressFor(console).Start(progress =>
            {
                foreach (var c in cases)
                {
                    var task = progress.AddTask(c.Name, maxValue: 2);
                    var rate = Measure(c.Run, duration);
                    task.Increment(1);
                    var baseline = Measure(c.RunBaseline, duration);
                    task.Increment(1);
                    rows.Add((c, rate, baseline));
                }

                progress.Refresh();
            });

            var table = CliConsole.Table("MEASURED", ">RATE", "BASELINE", ">RATE ", ">TIME RATIO");
            foreach (var (c, rate, baseline) in rows)
            {
                table.Row(c.Name, $"{rate:N0} {c.Unit}/s", c.Baseline, $"{baseline:N0} {c.Unit}/s", $"{baseline / rate:0.00}");
            }

            console.Write(table);
            console.WriteLine("time ratio = time per unit measured / time per unit of the baseline (above 1: slower than the baseline)");
            return 0;
        });
        return command;
    }

    private static List<Case> Cases()
    {
        var native = NativeSecp256k1.TryCreate();
        var managed = new ManagedSecp256k1();
        var key = NodeKey.Generate();
        var digest = Keccak.Hash("naeural bench"u8.ToArray());
        var verifier = new Secp256k1Verifier();
        var payload = new PendingPayload("PASS_THROUGH", "main", """{"VALUES":{"temp":21.5,"pressure":1013.2},"INDEX":42}""", DateTimeOffset.UtcNow);
        var cases = new List<Case>
        {
            new($"sign + recover ({native?.Name ?? "managed: libsecp256k1 missing"})", "sign + recover (managed)",
                () => SignRecover(native ?? (ISecp256k1Backend)managed, digest), () => SignRecover(managed, digest), "pairs"),
            new("signed payload (build, sign, verify)", "same payload as canonical JSON",
                () =>
                {
                    var signed = PayloadFormat.Build(key.Address, "bench", payload, 1, key, NetworkIds.Default);
                    return SignedJson.Verify((JsonObject)JsonNode.Parse(signed)!, verifier).IsValid ? 1 : 0;
                },
                () => CanonicalJson.Serialize(JsonNode.Parse(payload.DataJson)).Length > 0 ? 1 : 0, "payloads"),
        };

        var mlp = ModelCatalogue.BuiltIn.Find("mlp")!;
        var model = mlp.Create();
        model.eval();
        var one = torch.randn(1, mlp.InputSize);
        var batch = torch.randn(32, mlp.InputSize);
        cases.Add(new("mlp forward, batches of 32 (TorchSharp CPU)", "mlp forward, one sample at a time",
            () => Forward(model, batch), () => Forward(model, one), "samples"));
        return cases;
    }

    private static long SignRecover(ISecp256k1Backend backend, byte[] digest)
    {
        Span<byte> secret = stackalloc byte[32];
        secret.Fill(7);
        Span<byte> signature = stackalloc byte[64];
        Span<byte> publicKey = stackalloc byte[65];
        return backend.TrySign(secret, digest, signature, out var recoveryId) && backend.TryRecover(signature, recoveryId, digest, publicKey) ? 1 : 0;
    }

    private static long Forward(torch.nn.Module<torch.Tensor, torch.Tensor> model, torch.Tensor input)
    {
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        _ = model.forward(input);
        return input.shape[0];
    }

    /// <summary>Units per second of <paramref name="run"/> (which returns how many units one call did) over about <paramref name="duration"/>.</summary>
    private static double Measure(Func<long> run, TimeSpan duration)
    {
        for (var i = 0; i < 10; i++)
        {
            run();
        }

        long units = 0;
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < duration)
        {
            for (var i = 0; i < 16; i++)
            {
                units += run();
            }
        }

        return units / watch.Elapsed.TotalSeconds;
    }
}
