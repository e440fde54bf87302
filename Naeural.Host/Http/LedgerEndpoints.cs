using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Naeural.Actors.Commands;
using Naeural.Actors.Metering;
using Naeural.Actors.Pipelines;
using Naeural.Ledger.Billing;
using Naeural.Ledger.Channels;
using Naeural.Ledger.Epochs;
using Naeural.Actors.Security;

namespace Naeural.Host.Http;

/// <summary>
/// The ledger over HTTP: signed ledger requests (the JSON <see cref="SignedLedgerRequest"/> carries) go as-is to the ledger
/// proxy, whose gate verifies them (signature, party, freshness, nonce); and what the dashboard reads: this node's channels
/// (billing and its payment-channel region, with the ledger's record of each), work receipts, epoch archive and rewards, and
/// balances.
/// </summary>
internal static class LedgerEndpoints
{
    private const int MaxEpochs = 50;
    private const int MaxReceipts = 100;

    /// <summary>A signed request for the embedded ledger, sent to a node that settles on an EVM chain.</summary>
    public const string OnChain = "SETTLEMENT_ON_CHAIN";

    public static void Map(IEndpointRouteBuilder app, HttpNode node)
    {
        app.MapPost("/api/ledger", context => LedgerRequestAsync(context, node));
        app.MapGet("/api/channels", context => ChannelsAsync(context, node));
        app.MapGet("/api/receipts", context => ReceiptsAsync(context, node));
        app.MapGet("/api/epochs", context => EpochsAsync(context, node));
        app.MapGet("/api/balances", context => BalancesAsync(context, node));
    }

    private static async Task LedgerRequestAsync(HttpContext context, HttpNode node)
    {
        if (node.Options.Ledger.IsEvm)
        {
            await JsonReplies.ErrorAsync(context, StatusCodes.Status400BadRequest, OnChain,
                $"this node settles on chain {node.Settlement.Domain.ChainId} (NaeuralLedger at {node.Settlement.Domain.VerifyingContract}): send the transaction to the contract");
            return;
        }

        var json = await RequestBody.ReadJsonObjectAsync(context, node.Options.Http.MaxBodyBytes);
        if (json is null)
        {
            return;
        }

        var reply = await node.AskAsync<object>(node.Ledger, new SignedLedgerRequest(json), context);
        if (reply is LedgerDone)
        {
            await JsonReplies.WriteAsync(context, StatusCodes.Status200OK,
                new JsonObject { [JsonReplies.CodeField] = JsonReplies.Ok, [JsonReplies.ReasonField] = "the ledger applied the request" });
            return;
        }

        if (reply is LedgerRefused refused)
        {
            var (status, code, reason) = JsonReplies.LedgerRefusal(refused);
            await JsonReplies.ErrorAsync(context, status, code, reason);
            return;
        }

        await JsonReplies.ErrorAsync(context, StatusCodes.Status500InternalServerError, JsonReplies.Internal, $"the ledger answered {reply.GetType().Name}");
    }

    /// <summary>Every owner paying this node: its account (billed, collected, arrears) and each channel as the node and the ledger hold it.</summary>
    private static async Task ChannelsAsync(HttpContext context, HttpNode node)
    {
        var owners = await node.AskAsync<BillingOwners>(node.Billing, GetBillingOwners.Instance, context);
        var accounts = await Task.WhenAll(owners.ChannelsByOwner.Select(async owner =>
        {
            var account = node.AskAsync<OwnerAccount>(node.Billing, new GetOwnerAccount(owner.Key), context);
            var channels = await Task.WhenAll(owner.Value.Select(async id =>
            {
                var state = node.AskAsync<ChannelState>(node.Billing, new GetChannelState(id), context);
                var record = node.Settlement.GetChannelAsync(id, context.RequestAborted);
                return new { channelId = id, state = await state, ledger = await record };
            }));
            return new { owner = owner.Key, account = await account, channels };
        }));
        await JsonReplies.WriteAsync(context, StatusCodes.Status200OK, new { nodeId = node.NodeId, owners = accounts });
    }

    /// <summary>
    /// <c>?owner=0x…&amp;after=N&amp;max=M</c>: that owner's signed receipts after N; without <c>after</c> the newest M. Without
    /// an owner: the newest few of every owner this node bills (its channels' payers and its pipelines' owners).
    /// </summary>
    private static async Task ReceiptsAsync(HttpContext context, HttpNode node)
    {
        var query = context.Request.Query;
        var owner = query["owner"].ToString();
        if (owner.Length > 0 && !NetworkEndpoints.IsAddress(owner))
        {
            await Malformed(context, "owner must be an address (0x + 40 hex digits)");
            return;
        }

        if (!TryInt(query["max"], owner.Length > 0 ? MaxReceipts : 5, 1, MaxReceipts, out var max) || !TryLong(query["after"], out var after))
        {
            await Malformed(context, $"max must be 1..{MaxReceipts}, after a non-negative integer");
            return;
        }

        IEnumerable<string> owners = [owner];
        if (owner.Length == 0)
        {
            var billed = node.AskAsync<BillingOwners>(node.Billing, GetBillingOwners.Instance, context);
            var pipelines = node.AskAsync<PipelineList>(node.Api, new GetPipelines(null), context);
            owners = (await billed).ChannelsByOwner.Keys
                .Concat((await pipelines).Pipelines.Where(p => AccountAddress.Same(p.NodeId, node.NodeId)).Select(p => p.Owner))
                .Select(o => o.ToLowerInvariant())
                .Distinct();
        }

        var receipts = await Task.WhenAll(owners.Select(async o =>
        {
            var from = after;
            if (after < 0)
            {
                var newest = await node.AskAsync<WorkReceipts>(node.Meter, new GetReceipts(o, long.MaxValue - 1, 1), context);
                from = Math.Max(0, newest.LastSequence - max);
            }

            var answer = await node.AskAsync<WorkReceipts>(node.Meter, new GetReceipts(o, from, max), context);
            return new
            {
                owner = o,
                lastSequence = answer.LastSequence,
                receipts = answer.Receipts.Select(r => new { sequence = r.Sequence, billedTotal = r.BilledTotal, signed = JsonNode.Parse(r.Json) }).ToArray(),
            };
        }));
        await JsonReplies.WriteAsync(context, StatusCodes.Status200OK, new { nodeId = node.NodeId, owners = receipts });
    }

    /// <summary>
    /// <c>?epoch=N</c> or the newest <c>count</c> (5) epochs this node recorded: its signed table, the agreed result, the
    /// observers' signatures, and this node's reward for it on the ledger; and the ledger's observer registry.
    /// </summary>
    private static async Task EpochsAsync(HttpContext context, HttpNode node)
    {
        var query = context.Request.Query;
        if (!TryInt(query["count"], 5, 1, MaxEpochs, out var count) || !TryLong(query["epoch"], out var epoch))
        {
            await Malformed(context, $"count must be 1..{MaxEpochs}, epoch a non-negative integer");
            return;
        }

        var observers = node.Settlement.GetObserversAsync(context.RequestAborted);
        var newest = await node.AskAsync<EpochReport>(node.Epochs, new GetEpochReport(epoch >= 0 ? epoch : null), context);
        var numbers = epoch >= 0 || !newest.Known
            ? [newest.Epoch]
            : Enumerable.Range(0, (int)Math.Min(count, newest.Epoch + 1)).Select(i => newest.Epoch - i).ToArray();
        var reports = await Task.WhenAll(numbers.Select(async n =>
        {
            var report = n == newest.Epoch ? newest : await node.AskAsync<EpochReport>(node.Epochs, new GetEpochReport(n), context);
            var reward = report.Result is null
                ? null
                : await node.Settlement.GetEpochRewardAsync(n, node.NodeId.ToLowerInvariant(), context.RequestAborted);
            return new
            {
                epoch = report.Epoch,
                known = report.Known,
                ownTable = report.OwnTable,
                result = report.Result?.Agreed,
                signatures = report.Signatures,
                reward,
            };
        }));
        await JsonReplies.WriteAsync(context, StatusCodes.Status200OK, new
        {
            nodeId = node.NodeId,
            epochSeconds = node.Options.EpochSeconds,
            settlement = Settlement(node),
            observers = await observers,
            epochs = reports.Where(r => r.known || epoch >= 0).ToArray(),
        });
    }

    /// <summary><c>?address=0x…,0x…</c> (default: this node): balances on the ledger this node settles on.</summary>
    private static async Task BalancesAsync(HttpContext context, HttpNode node)
    {
        var addresses = context.Request.Query["address"].ToString()
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (addresses.Length == 0)
        {
            addresses = [node.NodeId];
        }

        if (addresses.Length > 100 || !addresses.All(NetworkEndpoints.IsAddress))
        {
            await Malformed(context, "address must be up to 100 comma-separated addresses (0x + 40 hex digits)");
            return;
        }

        var balances = await Task.WhenAll(addresses.Select(async a => new LedgerBalance(a, await node.Settlement.BalanceOfAsync(a, context.RequestAborted))));
        await JsonReplies.WriteAsync(context, StatusCodes.Status200OK, new { settlement = Settlement(node), balances });
    }

    /// <summary>Which ledger the answer was read from.</summary>
    private static object Settlement(HttpNode node) => new
    {
        kind = node.Options.Ledger.IsEvm ? "evm" : "embedded",
        chainId = node.Settlement.Domain.ChainId,
        contract = node.Settlement.Domain.VerifyingContract,
    };

    private static Task Malformed(HttpContext context, string reason) =>
        JsonReplies.ErrorAsync(context, StatusCodes.Status400BadRequest, RejectionCodes.Malformed, reason);

    private static bool TryInt(string? text, int fallback, int min, int max, out int value)
    {
        value = fallback;
        return string.IsNullOrEmpty(text) || (int.TryParse(text, out value) && value >= min && value <= max);
    }

    /// <summary>An optional non-negative integer; -1 when absent.</summary>
    private static bool TryLong(string? text, out long value)
    {
        value = -1;
        return string.IsNullOrEmpty(text) || (long.TryParse(text, out value) && value >= 0);
    }
}
