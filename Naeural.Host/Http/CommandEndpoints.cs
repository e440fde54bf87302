using System.Text.Json.Nodes;
using System.Threading.Channels;
using Akka.Actor;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Naeural.Actors.Commands;
using Naeural.Actors.Jobs;
using Naeural.Actors.Metering;
using Naeural.Actors.Payloads;
using Naeural.Actors.Pipelines;
using Naeural.Actors.Placement;
using Naeural.Ledger.Billing;

namespace Naeural.Host.Http;

/// <summary>
/// Signed developer commands over HTTP: the body is the signed JSON exactly as <see cref="SignedCommand"/> carries it,
/// handed as-is to <see cref="Actors.Api.NodeApi"/>, which checks it as it checks the actor API's (allow-list, signature,
/// size, freshness, spec) before the pipeline or job entity checks it again (nonce, owner). The answer's status follows the
/// outcome; its body always has <c>CODE</c> and <c>REASON</c>. A <c>SUBSCRIBE_PAYLOADS</c> command answers a stream of
/// Server-Sent Events instead: the pipeline's signed payloads (event <c>payload</c>, id = sequence), in order, each once,
/// and its notifications (event <c>notification</c>). A signed read (<see cref="ReadActions"/>: receipts, billed total,
/// account, pipelines) is answered 200 with what it reads, or refused like a command.
/// </summary>
internal static class CommandEndpoints
{
    /// <summary>Events a payload stream may have waiting to be written before it holds the next ones back.</summary>
    private const int StreamBuffer = 1024;

    public static void Map(IEndpointRouteBuilder app, HttpNode node)
    {
        app.MapPost("/api/commands", context => CommandAsync(context, node));
        app.MapPost("/api/payloads", context => CommandAsync(context, node, streamOnly: true));
    }

    private static async Task CommandAsync(HttpContext context, HttpNode node, bool streamOnly = false)
    {
        var json = await RequestBody.ReadJsonObjectAsync(context, node.Options.Http.MaxBodyBytes);
        if (json is null)
        {
            return;
        }

        var command = new SignedCommand(json);
        var subscribe = CommandEnvelope.TryPeek(command, out _, out var action) && action == PipelineActions.Subscribe;
        if (subscribe)
        {
            await StreamPayloadsAsync(context, node, command);
            return;
        }

        if (streamOnly)
        {
            await JsonReplies.ErrorAsync(context, StatusCodes.Status400BadRequest, RejectionCodes.UnknownAction,
                $"/api/payloads takes a signed {PipelineActions.Subscribe} command; other actions go to /api/commands");
            return;
        }

        var reply = await node.AskAsync<object>(node.Api, command, context);
        await (reply switch
        {
            CommandAccepted accepted => JsonReplies.WriteAsync(context,
                accepted.Code == PlacementCodes.Pending ? StatusCodes.Status202Accepted : StatusCodes.Status200OK, new JsonObject
                {
                    [JsonReplies.CodeField] = accepted.Code,
                    [JsonReplies.ReasonField] = accepted.Message,
                    ["PIPELINE"] = accepted.PipelineId,
                    ["ACTION"] = accepted.Action,
                    ["VERSION"] = accepted.Version,
                }),
            CommandRejected rejected => JsonReplies.WriteAsync(context, JsonReplies.StatusOfCommand(rejected.Code), Rejection(rejected)),
            JobStatus job => JsonReplies.WriteAsync(context, StatusCodes.Status200OK, Job(job)),
            // The answers of signed reads (ReadActions): the front door checked the signer is the owner or the operator.
            WorkReceipts receipts => JsonReplies.WriteAsync(context, StatusCodes.Status200OK, new
            {
                owner = receipts.Owner,
                lastSequence = receipts.LastSequence,
                receipts = receipts.Receipts.Select(r => new { sequence = r.Sequence, billedTotal = r.BilledTotal, signed = JsonNode.Parse(r.Json) }).ToArray(),
            }),
            OwnerBilled or PipelineList or OwnerAccount or BillingOwners => JsonReplies.WriteAsync(context, StatusCodes.Status200OK, reply),
            _ => JsonReplies.ErrorAsync(context, StatusCodes.Status500InternalServerError, JsonReplies.Internal,
                $"the node answered {reply.GetType().Name}"),
        });
    }

    /// <summary>
    /// Starts a <see cref="PayloadStreamBridge"/> with the signed subscription; once the node accepted it, writes what the
    /// bridge queues until the caller disconnects or the node stops. A refusal is answered like any command's.
    /// </summary>
    private static async Task StreamPayloadsAsync(HttpContext context, HttpNode node, SignedCommand command)
    {
        using var slot = await node.Guard.EnterStreamAsync(context);
        if (slot is null)
        {
            return;
        }

        var events = Channel.CreateBounded<ServerSentEvent>(new BoundedChannelOptions(StreamBuffer)
        {
            SingleReader = true,
            SingleWriter = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        var started = new TaskCompletionSource<object>(TaskCreationOptions.RunContinuationsAsynchronously);
        var after = PayloadStreamBridge.AfterSequenceOf(command.Json);
        var bridge = node.System.ActorOf(PayloadStreamBridge.Props(node.Api, command, after, events.Writer, started, node.Verifier, node.Options.NetworkId));
        try
        {
            object outcome;
            try
            {
                outcome = await started.Task.WaitAsync(node.Timeout, context.RequestAborted);
            }
            catch (TimeoutException)
            {
                await JsonReplies.ErrorAsync(context, StatusCodes.Status504GatewayTimeout, JsonReplies.Timeout,
                    $"the node did not start the subscription within {node.Timeout.TotalSeconds:0} s");
                return;
            }

            if (outcome is CommandRejected rejected)
            {
                await JsonReplies.WriteAsync(context, JsonReplies.StatusOfCommand(rejected.Code), Rejection(rejected));
                return;
            }

            var subscription = (PayloadSubscriptionStarted)outcome;
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, node.Stopping);
            ServerSentEvents.Start(context);
            await ServerSentEvents.WriteAsync(context, new ServerSentEvent("subscribed", new JsonObject
            {
                [JsonReplies.CodeField] = "SUBSCRIBED",
                [JsonReplies.ReasonField] = $"payloads of {subscription.PipelineId} after #{after}, in order",
                ["PIPELINE"] = subscription.PipelineId,
                ["AFTER_SEQUENCE"] = after,
            }.ToJsonString()), stop.Token);
            await ServerSentEvents.PumpAsync(context, events.Reader, stop.Token, upTo => bridge.Tell(new PayloadsWritten(upTo)));
        }
        finally
        {
            node.System.Stop(bridge);
        }
    }

    private static JsonObject Rejection(CommandRejected rejected) => new()
    {
        [JsonReplies.CodeField] = rejected.Code,
        [JsonReplies.ReasonField] = rejected.Reason,
        ["PIPELINE"] = rejected.PipelineId,
        ["ACTION"] = rejected.Action,
    };

    private static JsonObject Job(JobStatus job) => new()
    {
        [JsonReplies.CodeField] = JsonReplies.Ok,
        [JsonReplies.ReasonField] = $"job {job.JobId} is {job.State.ToString().ToLowerInvariant()}",
        ["JOB"] = job.JobId,
        ["STATE"] = job.State.ToString().ToUpperInvariant(),
        ["PLUGIN"] = job.Plugin,
        ["WORKERS"] = job.Workers,
        ["SHARES"] = new JsonArray([.. job.Shares.Select(s => (JsonNode)new JsonObject
        {
            ["INDEX"] = s.Index,
            ["ROWS"] = s.Rows,
            ["DONE"] = s.Done,
            ["NODE"] = s.NodeId,
            ["RAN_ON"] = new JsonArray([.. s.RanOn.Select(n => (JsonNode)n)]),
        })]),
        ["RESULT"] = job.ResultJson is null ? null : JsonNode.Parse(job.ResultJson),
        ["ERROR"] = job.Error,
        ["NODE"] = job.NodeId,
    };
}
