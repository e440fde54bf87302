using System.Diagnostics;
using Naeural.Testing;
using Xunit;
using Xunit.Abstractions;

namespace Naeural.Inference.Tests;

/// <summary>
/// An application built outside this repository, referencing the node's inference library, runs a TorchSharp forward pass:
/// its own output carries the package's unpatched native bridge (this repository's build targets don't reach it), which the
/// library fixes at start-up where the system needs it.
/// </summary>
public sealed class ConsumerProjectTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_project_outside_the_repository_that_references_the_library_runs_a_TorchSharp_forward_pass()
    {
        var folder = Directory.CreateTempSubdirectory("naeural-consumer-").FullName;
        try
        {
            var library = RepositoryRoot.File("Naeural.Inference", "Naeural.Inference.csproj");
            await File.WriteAllTextAsync(Path.Combine(folder, "Consumer.csproj"), $"""
                <Project Sdk="Microsoft.NET.Sdk">
                  <PropertyGroup>
                    <OutputType>Exe</OutputType>
                    <TargetFramework>net10.0</TargetFramework>
                    <ImplicitUsings>enable</ImplicitUsings>
                    <Nullable>enable</Nullable>
                  </PropertyGroup>
                  <ItemGroup>
                    <ProjectReference Include="{library}" />
                  </ItemGroup>
                </Project>
                """);
            await File.WriteAllTextAsync(Path.Combine(folder, "Program.cs"), """
                using Naeural.Inference.Models;
                using TorchSharp;

                var mlp = ModelCatalogue.BuiltIn.Find("mlp")!;
                using var module = ModelLoader.Load(mlp, null, torch.CPU);
                using var result = module.forward(torch.ones(1, 64));
                Console.WriteLine($"forward ok: {result.shape[1]} outputs; start-up fix: {Naeural.Inference.Native.TorchNativeFix.Outcome ?? "not needed"}");
                """);

            // Built into its own artifacts folder, the library's projects included: the repository's bin and obj are left alone.
            var artifacts = Path.Combine(folder, "artifacts");
            var (built, buildText) = await RunAsync("dotnet", ["build", Path.Combine(folder, "Consumer.csproj"), "--artifacts-path", artifacts], folder);
            Assert.True(built == 0, buildText);
            var program = Directory.EnumerateFiles(Path.Combine(artifacts, "bin", "Consumer"), "Consumer.dll", SearchOption.AllDirectories).Single();
            var native = Path.Combine(Path.GetDirectoryName(program)!, "runtimes", "linux-x64", "native");
            Assert.False(File.Exists(Path.Combine(native, ".naeural-torchsharp-patched")), "the application's copy is as the package ships it");

            var (code, text) = await RunAsync("dotnet", [program], folder);
            output.WriteLine(text);

            Assert.True(code == 0, text);
            Assert.Contains("forward ok: 8 outputs", text);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static async Task<(int Code, string Output)> RunAsync(string file, string[] arguments, string directory)
    {
        using var process = Process.Start(new ProcessStartInfo(file, arguments)
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(8)); // a cold build of the library and its references
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return (process.ExitCode, await output + await errors);
    }
}
