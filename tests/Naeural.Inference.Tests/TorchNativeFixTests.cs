using System.Diagnostics;
using Naeural.Inference.Native;
using Xunit;

namespace Naeural.Inference.Tests;

/// <summary>
/// The start-up fix of TorchSharp's native bridge holds after a rebuild: MSBuild copies the package's library over a patched
/// one (their sizes differ), so a folder's done-marker must describe the library it patched, not only say "done".
/// </summary>
public sealed class TorchNativeFixTests : IDisposable
{
    private readonly string _application = Directory.CreateTempSubdirectory("naeural-torchfix-").FullName;

    private string Native => Path.Combine(_application, "runtimes", "linux-x64", "native");

    private string Library => Path.Combine(Native, "libLibTorchSharp.so");

    [Fact]
    public void A_library_copied_over_a_patched_one_is_patched_again()
    {
        var original = Path.Combine(Environment.GetEnvironmentVariable("NUGET_PACKAGES")
                                    ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages"),
            "torchsharp", "0.107.0", "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
        Assert.True(File.Exists(original), $"{original} (TorchSharp's package, restored by the build)");
        Directory.CreateDirectory(Native);
        File.Copy(original, Library);
        Assert.True(NeedsNewLibStdCxx(Library), "the package's library needs GLIBCXX_3.4.32 (this machine is the case the fix is for)");

        TorchNativeFix.Apply(_application);
        Assert.False(NeedsNewLibStdCxx(Library), "patched once");

        // A rebuild: the package's library over the patched one, the folder's marker left in place.
        File.Copy(original, Library, overwrite: true);
        TorchNativeFix.Apply(_application);

        Assert.False(NeedsNewLibStdCxx(Library), "patched again after the library was replaced");
    }

    public void Dispose() => Directory.Delete(_application, recursive: true);

    private static bool NeedsNewLibStdCxx(string library)
    {
        using var objdump = Process.Start(new ProcessStartInfo("objdump", ["-T", library]) { RedirectStandardOutput = true })!;
        var symbols = objdump.StandardOutput.ReadToEnd();
        objdump.WaitForExit();
        Assert.Equal(0, objdump.ExitCode);
        return symbols.Contains("GLIBCXX_3.4.32", StringComparison.Ordinal);
    }
}
