using Akka.Actor;
using Naeural.Actors.Client;
using Naeural.Ledger.Channels;

namespace Naeural.Host.Cli;

/// <summary>
/// Runs a client verb and turns the ways it can fail into an exit code and one line on standard error: 2 when the node or the
/// ledger refused (with its code and reason), 1 when it could not be asked (no answer, unreadable file, bad argument, or a
/// node's TLS certificate this client refused: reported at once, with why, rather than as no answer).
/// </summary>
public static class CliRun
{
    /// <summary>The running verb's report of a refused node certificate (per verb, so verbs run side by side don't mix).</summary>
    private static readonly AsyncLocal<TaskCompletionSource<string>?> Refusal = new();

    /// <summary>
    /// What the client's TLS calls when it refuses a node's certificate (from any thread): the verb that made the client stops
    /// with that reason. Read it where the client is made, inside <see cref="GuardedAsync"/>; outside one, refusals are only logged.
    /// </summary>
    public static Action<string>? TlsRefused => Refusal.Value is { } refusal ? reason => refusal.TrySetResult(reason) : null;

    public static async Task<int> GuardedAsync(Func<Task<int>> run)
    {
        var refusal = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        Refusal.Value = refusal;
        try
        {
            var running = run();
            if (await Task.WhenAny(running, refusal.Task) == refusal.Task)
            {
                _ = running.ContinueWith(t => t.Exception, TaskContinuationOptions.OnlyOnFaulted); // it ends in a timeout: observed, not news
                await Console.Error.WriteLineAsync($"error: refused the node's TLS certificate: {refusal.Task.Result}");
                return 1;
            }

            return await running;
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
