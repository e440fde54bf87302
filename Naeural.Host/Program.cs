using Naeural.Host.Cli;

// `dotnet run --project Naeural.Host [-- --port 4053 --seed akka.tcp://naeural@host:port --data ./data]` runs a node;
// `dotnet run --project Naeural.Host -- pipeline deploy demo.json` (and the other verbs, see --help) talks to one.
return await NaeuralCli.RunAsync(args);
