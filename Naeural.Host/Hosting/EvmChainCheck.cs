using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Naeural.Ledger.Channels;

namespace Naeural.Host.Hosting;

/// <summary>
/// With <c>--settlement evm</c>, asks the chain its id (<c>eth_chainId</c>) before the actor system starts: vouchers, epoch
/// results and transactions are signed for <c>--evm-chain-id</c>, so a node pointed at another chain refuses to start, with
/// both ids in the error. A chain that does not answer within <see cref="Timeout"/> is logged and the node starts anyway
/// (settlements fail until it answers; the chain then refuses transactions signed for another id).
/// </summary>
public sealed class EvmChainCheck(NodeOptions options, ILogger<EvmChainCheck> log) : IHostedService
{
    /// <summary>How long a starting node waits for the chain's answer.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!options.Ledger.IsEvm)
        {
            return;
        }

        System.Numerics.BigInteger actual;
        try
        {
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(Timeout);
            actual = await EvmSettlement.ChainIdAsync(options.Ledger.EvmUrl!, deadline.Token);
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException or Nethereum.JsonRpc.Client.RpcClientUnknownException
                                      or Nethereum.JsonRpc.Client.RpcClientTimeoutException)
        {
            log.LogWarning("The chain at {EvmUrl} did not say its id ({Error}): settlements fail until it answers, and it must be chain {EvmChainId}",
                options.Ledger.EvmUrl, e.Message, options.Ledger.EvmChainId);
            return;
        }

        if (actual != options.Ledger.EvmChainId)
        {
            throw new InvalidOperationException(
                $"Naeural:Ledger:EvmChainId (--evm-chain-id) is {options.Ledger.EvmChainId}, but the chain at {options.Ledger.EvmUrl} is chain {actual} (eth_chainId): vouchers and epoch results would be signed for the wrong chain");
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
