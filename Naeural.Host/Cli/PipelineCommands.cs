using System.CommandLine;
using System.Text.Json.Nodes;
using Naeural.Actors.Client;
using Naeural.Actors.Commands;
using Spectre.Console;

namespace Naeural.Host.Cli;

/// <summary><c>pipeline deploy|update|list|stop|start|archive</c>: a developer's pipeline commands, signed with their key.</summary>
public static class PipelineCommands
{
    public static Command Create()
    {
        var file = new Argument<FileInfo>("file") { Description = "Pipeline JSON (NAME, TYPE, PLUGINS[SIGNATURE, INSTANCES[INSTANCE_ID, ...]])" };
        var name = new Argument<string>("name") { Description = "The pipeline's NAME" };

        var deploy = new Command("deploy", "Deploy a pipeline from its JSON file; returns once it runs") { file };
        deploy.SetAction((result, token) => SendAsync(result, "deploying", client => client.DeployAsync(File.ReadAllText(result.GetValue(file)!.FullName), token)));

        var update = new Command("update", "UPDATE_CONFIG: merge a partial JSON file into a pipeline") { name, file };
        update.SetAction((result, token) => SendAsync(result, "updating", client => client.UpdateConfigAsync(result.GetValue(name)!,
            JsonNode.Parse(File.ReadAllText(result.GetValue(file)!.FullName)) as JsonObject
            ?? throw new PipelineCommandException(RejectionCodes.InvalidSpec, "$: must be a JSON object"), token)));

        var stop = Simple("stop", "stopping", "Stop a pipeline (it can be started again)", name, (c, n, t) => c.StopAsync(n, t));
        var start = Simple("start", "starting", "Start a stopped pipeline", name, (c, n, t) => c.StartAsync(n, t));
        var archive = Simple("archive", "archiving", "ARCHIVE_CONFIG: stop a pipeline for good", name, (c, n, t) => c.ArchiveAsync(n, t));

        var all = new Option<bool>("--all") { Description = "Everyone's pipelines, not only yours (the node's operator only: --key its node key)" };
        var list = new Command("list", "List pipelines") { all };
        list.SetAction((result, token) => CliRun.GuardedAsync(async () =>
        {
            await using var client = ClientConnection.Connect(result);
            var pipelines = await client.GetPipelinesAsync(!result.GetValue(all), token);
            var table = CliConsole.Table("NAME", "STATUS", "TYPE", ">INSTANCES", ">VERSION", "NODE", "OWNER");
            foreach (var p in pipelines)
            {
                table.Row(p.Name, p.Status, p.Type, p.Instances, p.Version, p.NodeId, p.Owner);
            }

            var console = CliConsole.Create();
            console.Write(table);
            console.WriteLine($"{pipelines.Count} pipeline(s)");
            return 0;
        }));

        var command = new Command("pipeline", "Deploy and manage pipelines") { deploy, update, list, stop, start, archive };
        foreach (var sub in command.Subcommands)
        {
            ClientConnection.AddTo(sub);
        }

        return command;
    }

    private static Command Simple(string verb, string doing, string description, Argument<string> name, Func<NaeuralClient, string, CancellationToken, Task<CommandAccepted>> send)
    {
        var command = new Command(verb, description) { name };
        command.SetAction((result, token) => SendAsync(result, doing, client => send(client, result.GetValue(name)!, token)));
        return command;
    }

    /// <summary>Sends one command, showing a spinner until the node answers (a deploy answers once every instance runs).</summary>
    private static Task<int> SendAsync(ParseResult result, string doing, Func<NaeuralClient, Task<CommandAccepted>> send) =>
        CliRun.GuardedAsync(async () =>
        {
            var console = CliConsole.Create();
            await using var client = ClientConnection.Connect(result);
            var accepted = await console.Status().StartAsync($"{doing}…", _ => send(client));
            console.WriteLine($"{accepted.Code}: {accepted.Message} (pipeline {accepted.PipelineId}, version {accepted.Version})");
            return 0;
        });
}
