using Naeural.Actors.Pipelines;
using Naeural.Actors.Plugins;
using Naeural.Actors.Plugins.CustomCode;
using Xunit;

namespace Naeural.Actors.Tests.Plugins.CustomCode;

/// <summary>Steps that overran their hard limit still burn a core each; one owner's runaways must not stop the others' code.</summary>
public sealed class CustomCodeOwnerQuotaTests
{
    /// <summary>Straight-line library calls (no loop, no tick between them): seconds of work on one 100 MB array.</summary>
    private static readonly string Runaway =
        "var noise = new byte[100_000_000];\nvar random = new Random(1);\n"
        + string.Concat(Enumerable.Repeat("random.NextBytes(noise);\n", 30))
        + "return null;";

    [Fact]
    public void An_owner_whose_steps_run_away_is_stopped_at_its_quota_while_four_other_owners_keep_running()
    {
        var compiler = new CustomCodeCompiler();
        var runaways = Enumerable.Range(0, 5)
            .Select(_ => new CustomCodeHarness(compiler, Runaway, """{ "MAX_EXEC_MS": 20, "MAX_ALLOC_MB": 128 }""", owner: "0xrunaway"))
            .ToList();
        var others = Enumerable.Range(1, 4)
            .Select(i => new CustomCodeHarness(compiler, "return new JsonObject { [\"OK\"] = plugin.Calls };", owner: $"0xowner{i}"))
            .ToList();
        try
        {
            var first = runaways[0].Fault(CustomCodeHarness.Frames(1));
            Assert.Contains("did not return within", first.Message);

            foreach (var runaway in runaways.Skip(1))
            {
                var refused = runaway.Fault(CustomCodeHarness.Frames(1));
                Assert.Equal(NotificationCodes.CustomCodeViolation, refused.Code);
                Assert.Contains($"owner 0xrunaway already has 1 custom-code step that overran its bound and still runs (the per-owner quota is {OverrunSteps.PerOwnerMax})", refused.Message);
            }

            foreach (var other in others)
            {
                Assert.Single(other.Process(CustomCodeHarness.Frames(1)));
            }

            Assert.Equal(1, compiler.Overruns.Running);
            Assert.Equal(1, compiler.Overruns.RunningFor("0xrunaway"));
        }
        finally
        {
            foreach (var harness in runaways.Concat(others))
            {
                harness.Dispose();
            }
        }
    }

    [Fact]
    public void The_node_wide_cap_still_stops_every_step_as_a_last_resort()
    {
        var overruns = new OverrunSteps();
        for (var i = 0; i < OverrunSteps.Max; i++)
        {
            overruns.Started($"0xowner{i}");
        }

        Assert.True(overruns.Exhausted);
        Assert.Equal(OverrunSteps.Max, overruns.Running);
        Assert.Equal(1, overruns.RunningFor("0xowner0"));
        Assert.Equal(0, overruns.RunningFor("0xsomeone-else"));

        overruns.Ended("0xowner0");
        Assert.False(overruns.Exhausted);
        Assert.Equal(0, overruns.RunningFor("0xowner0"));
    }
}
