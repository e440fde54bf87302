using System.Text.RegularExpressions;
using Akka.Cluster;
using Naeural.Host.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Naeural.Actors.Commands;
using Naeural.Actors.Network;
using Naeural.Actors.Pipelines;

namespace Naeural.Host.Http;

/// <summary>
/// The network as this node sees it, the same answers the actor API gives (<see cref="GetNodes"/>, <see cref="GetPipelines"/>
/// through <see cref="Actors.Api.NodeApi"/>), plus this node itself and one pipeline's plugins and instances.
/// </summary>
internal static partial class NetworkEndpoints
{
    public static void Map(IEndpointRouteBuilder app, HttpNode node)
    {
        app.MapGet("/api/node", context => NodeAsync(context, node));
        app.MapGet("/api/nodes", async context =>
            await JsonReplies.WriteAsync(context, StatusCodes.Status200OK, await node.AskAsync<NetworkSnapshot>(node.Api, GetNodes.Instance, context)));
        app.MapGet("/api/pipelines", context => PipelinesAsync(context, node));
        app.MapGet("/api/pipelines/{owner}/{name}", context => PipelineAsync(context, node));
    }

    /// <summary>True for a 0x-prefixed 20-byte hex address (any case).</summary>
    public static bool IsAddress(string? value) => value is not null && Address().IsMatch(value);

    private static Task NodeAsync(HttpContext context, HttpNode node) =>
        JsonReplies.WriteAsync(context, StatusCodes.Status200OK, new
        {
            nodeId = node.NodeId,
            alias = node.Options.Alias,
            akkaAddress = Cluster.Get(node.System).SelfAddress.ToString(),
            payloadsEmitted = node.Metrics.PayloadsTotal,
            heartbeatSeconds = node.Options.HeartbeatSeconds,
            epochSeconds = node.Options.EpochSeconds,
            pricePerUnit = node.Options.PricePerUnit,
            persistence = TypedSettings.Name(node.Options.Persistence),
            at = DateTimeOffset.UtcNow,
        });

    /// <summary><c>?owner=0x…</c>: that owner's pipelines; <c>?all=true</c> or nothing: everyone's.</summary>
    private static async Task PipelinesAsync(HttpContext context, HttpNode node)
    {
        var owner = context.Request.Query["owner"].ToString();
        var all = context.Request.Query["all"].ToString();
        if (owner.Length > 0 && !IsAddress(owner))
        {
            await JsonReplies.ErrorAsync(context, StatusCodes.Status400BadRequest, RejectionCodes.Malformed, "owner must be an address (0x + 40 hex digits)");
            return;
        }

        if (all.Length > 0 && !bool.TryParse(all, out _))
        {
            await JsonReplies.ErrorAsync(context, StatusCodes.Status400BadRequest, RejectionCodes.Malformed, "all must be true or false");
            return;
        }

        if (owner.Length == 0 && all.Equals("false", StringComparison.OrdinalIgnoreCase))
        {
            await JsonReplies.ErrorAsync(context, StatusCodes.Status400BadRequest, RejectionCodes.Malformed, "all=false needs owner=0x…");
            return;
        }

        var list = await node.AskAsync<PipelineList>(node.Api, new GetPipelines(owner.Length > 0 ? owner : null), context);
        await JsonReplies.WriteAsync(context, StatusCodes.Status200OK, list);
    }

    /// <summary>
    /// One listed pipeline: its summary, and its plugins with their instances (signatures and ids, never their config).
    /// Only pipelines the directory lists are asked, so a request can't wake an entity that doesn't exist.
    /// </summary>
    private static async Task PipelineAsync(HttpContext context, HttpNode node)
    {
        var owner = (string)context.Request.RouteValues["owner"]!;
        var name = (string)context.Request.RouteValues["name"]!;
        if (!IsAddress(owner))
        {
            await JsonReplies.ErrorAsync(context, StatusCodes.Status400BadRequest, RejectionCodes.Malformed, "owner must be an address (0x + 40 hex digits)");
            return;
        }

        var id = CommandEnvelope.PipelineIdOf(owner, name);
        var listed = (await node.AskAsync<PipelineList>(node.Api, new GetPipelines(owner), context)).Pipelines.FirstOrDefault(p => p.PipelineId == id);
        if (listed is null)
        {
            await JsonReplies.ErrorAsync(context, StatusCodes.Status404NotFound, RejectionCodes.UnknownPipeline, $"no pipeline {id} is listed");
            return;
        }

        var status = await node.AskAsync<PipelineStatusReport>(node.Pipelines, new GetPipelineStatus(id), context);
        var plugins = status.RunningInstances
            .Select(i => (Signature: i[..Math.Max(0, i.IndexOf('/'))], Instance: i[(i.IndexOf('/') + 1)..]))
            .GroupBy(i => i.Signature)
            .Select(g => new { signature = g.Key, instances = g.Select(i => i.Instance).ToArray() })
            .ToArray();
        await JsonReplies.WriteAsync(context, StatusCodes.Status200OK, new
        {
            summary = listed,
            status = status.Status,
            version = status.Version,
            nodeId = status.NodeId,
            plugins,
        });
    }

    [GeneratedRegex("^0x[0-9a-fA-F]{40}$")]
    private static partial Regex Address();
}
