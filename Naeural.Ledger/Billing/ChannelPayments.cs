using System.Numerics;
using System.Security.Cryptography;
using Akka.Actor;
using Naeural.Actors.Api;
using Naeural.Actors.Client;
using Naeural.Actors.Security;
using Naeural.Ledger.Channels;
using Naeural.Ledger.Epochs;
using Naeural.Ledger.Identity;
using Naeural.Ledger.Signing;

namespace Naeural.Ledger.Billing;

/// <summary>How an owner's client pays a node.</summary>
public sealed record PayerOptions
{
    /// <summary>How long the channel stays open before its deposit can be reclaimed without the payee.</summary>
    public TimeSpan Duration { get; init; } = TimeSpan.FromDays(7);

    /// <summary>How often the payer asks the payee node for new receipts.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Checks the payee node's signature on receipts.</summary>
    public ISignatureVerifier Verifier { get; init; } = new Secp256k1Verifier();
}

/// <summary>The developer's payment API on a <see cref="NaeuralClient"/>: the embedded ledger, and channels that pay nodes for metered work.</summary>
public static class ChannelPayments
{
    /// <summary>
    /// The network's embedded ledger, reached through the client's node, acting as <paramref name="party"/> (every change signed
    /// with its key, for the client's network).
    /// </summary>
    public static SignedEmbeddedSettlement Ledger(this NaeuralClient client, IMessageSigner party) =>
        new(client.Edge, party, client.NetworkId);

    /// <summary>
    /// Opens a channel from <paramref name="payer"/> to the node <paramref name="payeeNodeId"/> with <paramref name="deposit"/>
    /// escrowed on the embedded ledger, at the price the node advertises now, and starts paying for the work that node bills
    /// <paramref name="payer"/> (the owner of the pipelines it runs). Dispose the result to stop paying.
    /// </summary>
    public static async Task<PayerChannel> OpenChannelAsync(this NaeuralClient client, NodeKey payer, string payeeNodeId, BigInteger deposit,
        PayerOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new PayerOptions();
        var terms = await client.OpenChannelOnLedgerAsync(payer, payeeNodeId, deposit, options, cancellationToken);
        return await client.PayAsync(payer, terms, PayerResume.Fresh, options, cancellationToken);
    }

    /// <summary>
    /// Opens a channel (the deposit is escrowed) without paying through it yet, on <paramref name="ledger"/> (default: the
    /// network's embedded ledger): the price is the one the payee advertises now. <see cref="PayAsync"/> pays through it, from
    /// this process or a later one.
    /// </summary>
    public static async Task<PayerTerms> OpenChannelOnLedgerAsync(this NaeuralClient client, NodeKey payer, string payeeNodeId, BigInteger deposit,
        PayerOptions? options = null, CancellationToken cancellationToken = default, ISettlementBackend? ledger = null)
    {
        options ??= new PayerOptions();
        var node = await PayeeAsync(client, payeeNodeId, cancellationToken);
        var terms = new ChannelTerms("0x" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32)), payer.Address, node.NodeId, deposit);
        await (ledger ?? client.Ledger(payer)).OpenChannelAsync(payer.Address, terms, options.Duration, cancellationToken);
        return new PayerTerms(terms, node.PricePerUnit);
    }

    /// <summary>
    /// Pays the payee of <paramref name="terms"/> for the work it bills <paramref name="payer"/>, starting from
    /// <paramref name="resume"/> (what the payee already collected: see <see cref="GetPayeeStateAsync"/>), with vouchers for
    /// <paramref name="ledger"/>'s domain (default: the network's embedded ledger). Dispose to stop paying.
    /// </summary>
    public static async Task<PayerChannel> PayAsync(this NaeuralClient client, NodeKey payer, PayerTerms terms, PayerResume resume,
        PayerOptions? options = null, CancellationToken cancellationToken = default, ISettlementBackend? ledger = null)
    {
        options ??= new PayerOptions();
        ledger ??= client.Ledger(payer);
        var node = await PayeeAsync(client, terms.Channel.Payee, cancellationToken);
        var actor = client.System.ActorOf(ChannelPayer.Props(terms, payer,
            client.EdgeFor(node.NodeId), client.EdgeFor(node.NodeId),
            new VoucherSigning(ledger.Domain), options.Verifier, options.PollInterval, resume, client.NetworkId));
        return new PayerChannel(terms.Channel, actor, ledger, client.RequestTimeout);
    }

    /// <summary>What the payee node holds of a channel: its best voucher's nonce and what it collected (zero before the first voucher).</summary>
    public static async Task<ChannelState> GetPayeeStateAsync(this NaeuralClient client, ChannelTerms terms, CancellationToken cancellationToken = default)
    {
        var node = await PayeeAsync(client, terms.Payee, cancellationToken);
        return await client.RequestAsync<ChannelState>(node.NodeId, new GetChannelState(terms.ChannelId), cancellationToken);
    }

    /// <summary>
    /// Settles a channel with the payee's best voucher (the rest of the deposit goes back to the payer), with a settle
    /// <paramref name="party"/> signs (the payer, or the payee's operator): <see cref="ChannelSettledAck"/> or <see cref="ChannelRefused"/>.
    /// </summary>
    /// <param name="payeeNodeId">The payee node (its channels live on it); null: the node this client talks to.</param>
    public static Task<object> SettleChannelAsync(this NaeuralClient client, string? payeeNodeId, string channelId, IMessageSigner party,
        CancellationToken cancellationToken = default)
    {
        var settle = SettleChannel.Sign(channelId, party, DateTimeOffset.UtcNow, client.NetworkId);
        return payeeNodeId is null ? client.RequestAsync<object>(settle, cancellationToken) : client.RequestAsync<object>(payeeNodeId, settle, cancellationToken);
    }

    /// <summary>The node's epoch clock (<paramref name="nodeId"/> null: the node this client talks to).</summary>
    public static Task<EpochClockReading> GetEpochClockAsync(this NaeuralClient client, string? nodeId = null, CancellationToken cancellationToken = default) =>
        nodeId is null
            ? client.RequestAsync<EpochClockReading>(GetEpochClock.Instance, cancellationToken)
            : client.RequestAsync<EpochClockReading>(nodeId, GetEpochClock.Instance, cancellationToken);

    /// <summary>What the node's epoch observer knows of <paramref name="epoch"/>: its table, the agreed result and its signatures.</summary>
    public static Task<EpochReport> GetEpochReportAsync(this NaeuralClient client, long? epoch, string? nodeId = null, CancellationToken cancellationToken = default) =>
        nodeId is null
            ? client.RequestAsync<EpochReport>(new GetEpochReport(epoch), cancellationToken)
            : client.RequestAsync<EpochReport>(nodeId, new GetEpochReport(epoch), cancellationToken);

    private static async Task<Naeural.Actors.Nodes.NodeResources> PayeeAsync(NaeuralClient client, string payeeNodeId, CancellationToken cancellationToken) =>
        (await client.GetNodesAsync(cancellationToken)).Find(payeeNodeId)?.Resources
        ?? throw new ArgumentException($"node {payeeNodeId} is not in the network", nameof(payeeNodeId));
}

/// <summary>An open channel its payer is paying through; dispose to stop paying (the channel stays open on the ledger).</summary>
public sealed class PayerChannel(ChannelTerms terms, IActorRef payer, ISettlementBackend ledger, TimeSpan timeout) : IAsyncDisposable
{
    public string ChannelId => terms.ChannelId;

    public ChannelTerms Terms => terms;

    public Task<PayerState> GetStateAsync(CancellationToken cancellationToken = default) =>
        payer.Ask<PayerState>(GetPayerState.Instance, timeout, cancellationToken);

    /// <summary>Asks the ledger to close: the payee has <paramref name="disputeWindow"/> to settle with its best voucher.</summary>
    public Task RequestCloseAsync(TimeSpan disputeWindow, CancellationToken cancellationToken = default) =>
        ledger.RequestCloseAsync(terms.Payer, terms.ChannelId, disputeWindow, cancellationToken);

    /// <summary>Takes back what the payee did not settle, once the channel expired or a close's dispute window is over.</summary>
    public Task ReclaimAsync(CancellationToken cancellationToken = default) => ledger.ReclaimAsync(terms.Payer, terms.ChannelId, cancellationToken);

    public async ValueTask DisposeAsync() => await payer.GracefulStop(timeout);
}
