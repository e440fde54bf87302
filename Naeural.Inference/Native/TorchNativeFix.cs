using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace Naeural.Inference.Native;

/// <summary>
/// Makes TorchSharp's native bridge loadable in any application that references this library, not only in this repository's
/// build: TorchSharp 0.107.0's <c>libLibTorchSharp.so</c> needs <c>GLIBCXX_3.4.32</c> (GCC 13) for one symbol, which Debian 12's
/// libstdc++ lacks. This repository's build patches its own output (<c>Directory.Build.targets</c>); an application built
/// elsewhere gets the package's copy unpatched. So when this assembly loads, before any TorchSharp call of it, the same patch
/// (<c>scripts/patch-torchsharp.sh</c> with its tools, carried inside this assembly) is applied to the application's copy
/// where the system needs it: once (the script marks a patched folder last, with the patched library's size and time, so a
/// rebuild that copies the package's library back is patched again), one process at a time (a lock file in the
/// folder), installing nothing (it names what is missing), a no-op elsewhere. Nothing it meets stops the assembly loading:
/// at worst TorchSharp fails later with its own error.
/// </summary>
public static class TorchNativeFix
{
    private const string Library = "libLibTorchSharp.so";
    private const string Marker = ".naeural-torchsharp-patched";
    private const string LockFile = ".naeural-torchsharp.lock";
    private static readonly TimeSpan LockWait = TimeSpan.FromMinutes(2);

    private static readonly string[] LibStdCxx = ["/usr/lib/x86_64-linux-gnu/libstdc++.so.6", "/lib/x86_64-linux-gnu/libstdc++.so.6"];

    /// <summary>What the start-up fix did: null where nothing was needed, else the patch's report (or why it failed).</summary>
    public static string? Outcome { get; private set; }

#pragma warning disable CA2255 // a library's module initializer, on purpose: it must run before the first TorchSharp call of the assembly
    [ModuleInitializer]
    internal static void OnLoad()
    {
        try
        {
            Outcome = Apply(AppContext.BaseDirectory);
        }
        catch (Exception e)
        {
            Outcome = e.Message;
            Console.Error.WriteLine($"warning: TorchSharp's native bridge could not be checked for this system's libstdc++: {e.Message}");
        }
    }
#pragma warning restore CA2255

    /// <summary>Patches the TorchSharp bridge under <paramref name="applicationDirectory"/> if this system needs it.</summary>
    public static string? Apply(string applicationDirectory)
    {
        var native = Path.Combine(applicationDirectory, "runtimes", "linux-x64", "native");
        if (!OperatingSystem.IsLinux() || !File.Exists(Path.Combine(native, Library)) || Patched(native)
            || SystemHasGlibCxx332())
        {
            return null;
        }

        using var held = Lock(Path.Combine(native, LockFile));
        if (Patched(native))
        {
            return null; // another process patched it while this one waited
        }

        var tools = Directory.CreateTempSubdirectory("naeural-torchsharp-").FullName;
        try
        {
            Extract("patch-torchsharp.sh", Path.Combine(tools, "scripts"));
            Extract("ios_base_library_init.cpp", Path.Combine(tools, "tools", "torchsharp"));
            Extract("weaken-version-requirement.py", Path.Combine(tools, "tools", "torchsharp"));
            using var patch = Process.Start(new ProcessStartInfo("bash", [Path.Combine(tools, "scripts", "patch-torchsharp.sh"), native])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                Environment = { ["NAEURAL_PATCH_NO_INSTALL"] = "1" },
            })!;
            var output = patch.StandardOutput.ReadToEndAsync();
            var errors = patch.StandardError.ReadToEnd();
            patch.WaitForExit();
            var report = $"{output.Result}{errors}".Trim();
            if (patch.ExitCode != 0 || errors.Length > 0)
            {
                Console.Error.WriteLine($"warning: TorchSharp's native bridge in {native} could not be patched for this system's libstdc++: {report}");
            }

            return report;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.ComponentModel.Win32Exception)
        {
            Console.Error.WriteLine($"warning: TorchSharp's native bridge in {native} could not be patched for this system's libstdc++: {e.Message}");
            return e.Message;
        }
        finally
        {
            try
            {
                Directory.Delete(tools, recursive: true);
            }
            catch (IOException)
            {
                // a temp folder left behind
            }
        }
    }

    /// <summary>True where the folder's marker describes its library as it is now: "size unix-time", as the script writes it.</summary>
    private static bool Patched(string native)
    {
        var marker = Path.Combine(native, Marker);
        if (!File.Exists(marker))
        {
            return false;
        }

        var library = new FileInfo(Path.Combine(native, Library));
        return File.ReadAllText(marker).Trim() == $"{library.Length} {new DateTimeOffset(library.LastWriteTimeUtc).ToUnixTimeSeconds()}";
    }

    /// <summary>The folder's lock file, held open exclusively (an advisory lock on Linux): one patching process at a time.</summary>
    private static FileStream Lock(string path)
    {
        var deadline = DateTime.UtcNow + LockWait;
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                Thread.Sleep(100); // another process is patching the same folder (seconds at most)
            }
        }
    }

    private static bool SystemHasGlibCxx332()
    {
        var path = LibStdCxx.FirstOrDefault(File.Exists);
        if (path is null)
        {
            return true; // not a Debian-layout system: leave TorchSharp as shipped
        }

        var needle = "GLIBCXX_3.4.32"u8;
        return File.ReadAllBytes(path).AsSpan().IndexOf(needle) >= 0;
    }

    private static void Extract(string name, string folder)
    {
        Directory.CreateDirectory(folder);
        using var resource = typeof(TorchNativeFix).Assembly.GetManifestResourceStream($"torchsharp/{name}")
                             ?? throw new IOException($"{name} is not carried in Naeural.Inference");
        using var file = File.Create(Path.Combine(folder, name));
        resource.CopyTo(file);
    }
}
