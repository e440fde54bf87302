using BenchmarkDotNet.Running;
using Naeural.Benchmarks.Placement;

// dotnet run -c Release --project benchmarks/Naeural.Benchmarks -- --filter '*'
// dotnet run -c Release --project benchmarks/Naeural.Benchmarks -- --filter '*HttpVsActorApi*'   (the HTTP edge vs the actor API)
// dotnet run -c Release --project benchmarks/Naeural.Benchmarks -- --filter "*HttpVsActorApi*"   (HTTP edge vs actor API)
// dotnet run -c Release --project benchmarks/Naeural.Benchmarks -- --filter "*SignedHeartbeatCost*"   (signed gossip vs unsigned)
// dotnet run -c Release --project benchmarks/Naeural.Benchmarks -- --filter "*ClientEdgeOverhead*"   (client edge vs a client at the member port)
// dotnet run -c Release --project benchmarks/Naeural.Benchmarks -- --filter "*LedgerReplicationCost*"   (replicated ledger journal vs one node)
// dotnet run -c Release --project benchmarks/Naeural.Benchmarks -- placement     (placement and failover on 10 nodes)
if (args is ["placement"])
{
    await PlacementScenario.RunAsync();
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(Naeural.Benchmarks.OperationsPerSecondConfig).Assembly).Run(args);
