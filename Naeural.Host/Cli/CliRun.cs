using Akka.Actor;
using Naeural.Actors.Client;
using Naeural.Ledger.Channels;

namespace Naeural.Host.Cli;

/// <summary>
/// Runs a client verb and turns the ways it can fail into an exit code and one line on standard error: 2 when the node or the
/// ledger refused (with its code and reason), 1 when it could not be asked (no answer, unreadable file, bad argument).
/// </summary>
public static class CliRun
{
    public static async Task<int> GuardedAsync(Func<Task<int>> run)
    {
        try
        {
            return await run();
        }
        catch (PipelineCommandException e)
        {
            await Console.Error.WriteLineAsync($"refused: {e.Code}: {e.Reason}");
            return 2;
        }
        catch (SettlementException e)
        {
            await Console.Error.WriteLineAsync($"refused by the ledger: {e.Message}");
            return 2;
        }
        catch (Exception e) when (e is HttpRequestException or Nethereum.JsonRpc.Client.RpcClientUnknownException
                                      or Nethereum.JsonRpc.Client.RpcClientTimeoutException or Nethereum.JsonRpc.Client.RpcResponseException)
        {
            await Console.Error.WriteLineAsync($"error: the chain did not answer: {e.Message}");
            return 1;
        }
        catch (AskTimeoutException e)
        {
            await Console.Error.WriteLineAsync($"error: no answer from the node in time ({e.Message})");
            return 1;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Text.Json.JsonException
                                      or ArgumentException or FormatException or InvalidOperationException)
        {
            await Console.Error.WriteLineAsync($"error: {e.Message}");
            return 1;
        }
    }
}
