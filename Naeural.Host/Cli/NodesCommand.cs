using System.CommandLine;

namespace Naeural.Host.Cli;

/// <summary><c>nodes</c>: the network as a node sees it.</summary>
public static class NodesCommand
{
    public static Command Create()
    {
        var command = new Command("nodes", "List the network's nodes and what they offer");
        ClientConnection.AddTo(command);
        command.SetAction(async (result, token) =>
        {
            await using var client = ClientConnection.Connect(result);
            var view = await client.GetNodesAsync(token);
            Console.WriteLine($"{"NODE",-42} {"ALIAS",-14} {"CORES",5} {"FREE MB",8} {"LOAD",5} {"GPU",-10} {"PIPELINES",9}  ADDRESS");
            foreach (var node in view.Nodes)
            {
                var r = node.Resources;
                Console.WriteLine($"{r.NodeId,-42} {r.Alias,-14} {r.Cores,5} {r.FreeMemoryMb,8} {r.CpuLoad,5:0.00} {r.Gpu?.Name ?? "-",-10} {r.Pipelines.Length,9}  {r.AkkaAddress}{(node.Reachable ? "" : " (unreachable)")}");
            }

            Console.WriteLine($"{view.Nodes.Length} node(s)");
            return 0;
        });
        return command;
    }
}
