using BenchmarkDotNet.Running;

// dotnet run -c Release --project benchmarks/Naeural.Benchmarks -- --filter '*'
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
