using System.CommandLine;
using Naeural.Actors.Client;

namespace Naeural.Host.Cli;

/// <summary><c>payloads NAME [--follow]</c>: prints a pipeline's payloads (verified) and notifications as they arrive.</summary>
public static class PayloadsCommand
{
    public static Command Create()
    {
        var name = new Argument<string>("name") { Description = "The pipeline's NAME" };
        var follow = new Option<bool>("--follow") { Description = "Keep printing until Ctrl+C" };
        var after = new Option<long>("--after") { Description = "Start after this sequence number (what you saw last)" };
        var seconds = new Option<double>("--seconds") { Description = "Without --follow: how long to listen", DefaultValueFactory = _ => 2 };
        var command = new Command("payloads", "Print a pipeline's payloads and notifications") { name, follow, after, seconds };
        ClientConnection.AddTo(command);
        command.SetAction(async (result, token) =>
        {
            await using var client = ClientConnection.Connect(result);
            await using var subscription = await client.SubscribeAsync(result.GetValue(name)!,
                p => Console.WriteLine($"#{p.Sequence} {(p.Verified ? "signed by " + p.Signer : "UNVERIFIED")} {string.Join('/', p.Path.Skip(2))}: {p.Data?.ToJsonString()}"),
                result.GetValue(after),
                n => Console.WriteLine($"[{n.Severity}] {n.Source} {n.Code}: {n.Message}"),
                token);
            try
            {
                await Task.Delay(result.GetValue(follow) ? Timeout.InfiniteTimeSpan : TimeSpan.FromSeconds(result.GetValue(seconds)), token);
            }
            catch (OperationCanceledException)
            {
            }

            return 0;
        });
        return command;
    }
}
