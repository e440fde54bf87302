using BenchmarkDotNet.Running;
using Naeural.Benchmarks.Network;
using Naeural.Benchmarks.Placement;

// dotnet run -c Release --project benchmarks/Naeural.Benchmarks -- --filter '*'
// dotnet run -c Release --project benchmarks/Naeural.Benchmarks -- --filter '*HttpVsActorApi*'   (the HTTP edge vs the actor API)
// dotnet run -c Release --project benchmarks/Naeural.Benchmarks -- --filter "*HttpVsActorApi*"   (HTTP edge vs actor API)
// dotnet run -c Release --project benchmarks/Naeural.Benchmarks -- --filter "*SignedHeartbeatCost*"   (signed gossip vs unsigned)
// dotnet run -c Release --project benchmarks/Naeural.Benchmarks -- --filter "*ClientEdgeOverhead*"   (client edge vs a client at the member port)
// dotnet run -c Release --project benchmarks/Naeural.Benchmarks -- --filter "*LedgerReplicationCost*"   (replicated ledger journal vs one node)
// dotnet run -c Release --project benchmarks/Naeural.Benchmarks -- placement     (placement and failover on 10 nodes; --replicas 1: ours without pipeline replicas;
//                                                                                  --baselines journal: only that baseline, of persistence,ddata,journal;
//                                                                                  --rounds 3 --pipelines 1000 --in-flight 64)
// dotnet run -c Release --project benchmarks/Naeural.Benchmarks -- failover      (kill to running on 5 nodes, per failure-detection setting;
//                                                                                  options: --nodes 5 --pipelines 100 --detection 3/5,1.5/2)
// dotnet run -c Release --project benchmarks/Naeural.Benchmarks -- video         (frames decoded per second: the Video source vs ffmpeg alone;
//                                                                                  options: --frames 600 --rounds 3)
// dotnet run -c Release --project benchmarks/Naeural.Benchmarks -- gossip        (bytes each node sends per second, idle, 3/5/10 nodes × 0/100/1,000 pipelines;
//                                                                                  options: --nodes 3,5,10 --pipelines 100,1000 --window 20 --settle 10 --deploy-timeout 600)
if (args is ["placement", .. var placement])
{
    int? Option(string name) => placement.SkipWhile(a => a != name).Skip(1).FirstOrDefault() is { } value
        ? int.Parse(value, System.Globalization.CultureInfo.InvariantCulture)
        : null;
    var defaults = new PlacementScenario.Run();
    await PlacementScenario.RunAsync(new PlacementScenario.Run(
        Option("--replicas") ?? defaults.Replicas,
        placement.SkipWhile(a => a != "--baselines").Skip(1).FirstOrDefault()?.Split(',').ToHashSet(),
        Option("--pipelines") ?? defaults.Pipelines,
        Option("--in-flight") ?? defaults.InFlight,
        Option("--rounds") ?? defaults.Rounds));
    return 0; // a scenario that returns has succeeded (see the end)
}

if (args is ["failover", .. var failover])
{
    await FailoverScenario.RunAsync(failover);
    return 0; // a scenario that returns has succeeded (see the end)
}

if (args is ["video", .. var video])
{
    await Naeural.Benchmarks.Video.VideoScenario.RunAsync(video);
    return 0;
}

if (args is ["gossip", .. var options])
{
    await GossipScenario.RunAsync(options);
    return 0; // a scenario that returns has succeeded (see the end)
}

BenchmarkSwitcher.FromAssembly(typeof(Naeural.Benchmarks.OperationsPerSecondConfig).Assembly).Run(args);
return 0;

// A scenario that returns has measured what it set out to (a failure throws), so it exits 0 explicitly, whatever
// Akka.Hosting left in Environment.ExitCode: it sets -1 when a node's actor system ends without its host asking, which is
// what the scenarios do to the nodes they abort on purpose (and to any the split-brain resolver downs).
