using System.CommandLine;
using System.Text.Json.Nodes;
using Naeural.Actors.Client;
using Naeural.Actors.Commands;

namespace Naeural.Host.Cli;

/// <summary><c>pipeline deploy|update|list|stop|start|archive</c>: a developer's pipeline commands, signed with their key.</summary>
public static class PipelineCommands
{
    public static Command Create()
    {
        var file = new Argument<FileInfo>("file") { Description = "Pipeline JSON (NAME, TYPE, PLUGINS[SIGNATURE, INSTANCES[INSTANCE_ID, ...]])" };
        var name = new Argument<string>("name") { Description = "The pipeline's NAME" };

        var deploy = new Command("deploy", "Deploy a pipeline from its JSON file; returns once it runs") { file };
        deploy.SetAction((result, token) => RunAsync(result, client => client.DeployAsync(File.ReadAllText(result.GetValue(file)!.FullName), token)));

        var update = new Command("update", "UPDATE_CONFIG: merge a partial JSON file into a pipeline") { name, file };
        update.SetAction((result, token) => RunAsync(result, client => client.UpdateConfigAsync(result.GetValue(name)!,
            JsonNode.Parse(File.ReadAllText(result.GetValue(file)!.FullName)) as JsonObject
            ?? throw new PipelineCommandException(RejectionCodes.InvalidSpec, "$: must be a JSON object"), token)));

        var stop = Simple("stop", "Stop a pipeline (it can be started again)", name, (c, n, t) => c.StopAsync(n, t));
        var start = Simple("start", "Start a stopped pipeline", name, (c, n, t) => c.StartAsync(n, t));
        var archive = Simple("archive", "ARCHIVE_CONFIG: stop a pipeline for good", name, (c, n, t) => c.ArchiveAsync(n, t));

        var all = new Option<bool>("--all") { Description = "Everyone's pipelines, not only yours" };
        var list = new Command("list", "List pipelines") { all };
        list.SetAction(async (result, token) =>
        {
            await using var client = ClientConnection.Connect(result);
            var pipelines = await client.GetPipelinesAsync(!result.GetValue(all), token);
            Console.WriteLine($"{"NAME",-24} {"STATUS",-9} {"TYPE",-16} {"INSTANCES",9} {"VERSION",7}  NODE / OWNER");
            foreach (var p in pipelines)
            {
                Console.WriteLine($"{p.Name,-24} {p.Status,-9} {p.Type,-16} {p.Instances,9} {p.Version,7}  {p.NodeId} / {p.Owner}");
            }

            Console.WriteLine($"{pipelines.Count} pipeline(s)");
            return 0;
        });

        var command = new Command("pipeline", "Deploy and manage pipelines") { deploy, update, list, stop, start, archive };
        foreach (var sub in command.Subcommands)
        {
            ClientConnection.AddTo(sub);
        }

        return command;
    }

    private static Command Simple(string verb, string description, Argument<string> name, Func<NaeuralClient, string, CancellationToken, Task<CommandAccepted>> send)
    {
        var command = new Command(verb, description) { name };
        command.SetAction((result, token) => RunAsync(result, client => send(client, result.GetValue(name)!, token)));
        return command;
    }

    private static async Task<int> RunAsync(ParseResult result, Func<NaeuralClient, Task<CommandAccepted>> send)
    {
        try
        {
            await using var client = ClientConnection.Connect(result);
            var accepted = await send(client);
            Console.WriteLine($"{accepted.Code}: {accepted.Message} (pipeline {accepted.PipelineId}, version {accepted.Version})");
            return 0;
        }
        catch (PipelineCommandException e)
        {
            Console.Error.WriteLine($"refused: {e.Code}: {e.Reason}");
            return 2;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Text.Json.JsonException or Akka.Actor.AskTimeoutException)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return 1;
        }
    }
}
