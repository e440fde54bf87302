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

            var (code, text) = await RunAsync("dotnet", ["run", "--project", Path.Combine(folder, "Consumer.csproj")], folder);
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
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output + await errors);
    }
}
