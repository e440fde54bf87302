using System.CommandLine;
using Spectre.Console;

namespace Naeural.Host.Cli;

/// <summary><c>nodes</c>: the network as a node sees it, one row per node.</summary>
public static class NodesCommand
{
    public static Command Create()
    {
        var command = new Command("nodes", "List the network's nodes and what they offer");
        ClientConnection.AddTo(command);
        command.SetAction((result, token) => CliRun.GuardedAsync(async () =>
        {
            await using var client = ClientConnection.Connect(result);
            var view = await client.GetNodesAsync(token);
            var table = CliConsole.Table("NODE", "ALIAS", ">CORES", ">FREE MB", ">LOAD", "GPU", "MODELS", ">PIPELINES", ">PRICE", "TAGS", "ADDRESS");
            foreach (var node in view.Nodes)
            {
                var r = node.Resources;
                table.Row(r.NodeId, r.Alias, r.Cores, r.FreeMemoryMb, r.CpuLoad.ToString("0.00"), r.Gpu?.Name ?? "-",
                    r.Models.IsDefaultOrEmpty ? "-" : string.Join(",", r.Models), r.Pipelines.Length, r.PricePerUnit,
                    r.Tags.IsDefaultOrEmpty ? "-" : string.Join(",", r.Tags), r.AkkaAddress + (node.Reachable ? "" : " (unreachable)"));
            }

            var console = CliConsole.Create();
            console.Write(table);
            console.WriteLine($"{view.Nodes.Length} node(s)");
            return 0;
        }));
        return command;
    }
}
