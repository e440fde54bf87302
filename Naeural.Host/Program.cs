using Microsoft.Extensions.Hosting;
using Naeural.Host.Hosting;

// The node executable: `dotnet run --project Naeural.Host [-- --port 4053 --seed akka.tcp://naeural@host:port --data ./data]`.
using var host = NodeHost.Build(args);
await host.RunAsync();
