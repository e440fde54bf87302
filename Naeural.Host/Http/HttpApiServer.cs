using System.Net;
using Akka.Actor;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Naeural.Actors.Commands;
using Naeural.Actors.Pipelines;
using Naeural.Host.Hosting;
using Naeural.Host.Http.Dashboard;
using Naeural.Ledger.Channels;
using Naeural.Ledger.Identity;

namespace Naeural.Host.Http;

/// <summary>
/// The node's HTTP edge: the JSON API for non-.NET clients and the dashboard, on Kestrel (<see cref="HttpOptions"/>:
/// 127.0.0.1:8080 by default, port 0 = any free one). Started after the actor system (it needs the node's actors) and
/// stopped before it. Every answer is JSON (errors too: <c>CODE</c> and <c>REASON</c>, never a stack trace).
/// </summary>
public sealed class HttpApiServer(ActorSystem system, NodeOptions options, NodeKey identity, NodeSettlement settlement, ILogger<HttpApiServer> log)
    : IHostedService, IAsyncDisposable
{
    /// <summary>The ledger this node settles on (an EVM chain) did not answer a read.</summary>
    public const string LedgerUnreachable = "LEDGER_UNREACHABLE";

    private WebApplication? _app;

    /// <summary>Where the server listens once started (e.g. <c>http://127.0.0.1:8080/</c>); null when HTTP is off.</summary>
    public Uri? Address { get; private set; }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!options.Http.Enabled)
        {
            return;
        }

        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ApplicationName = typeof(HttpApiServer).Assembly.GetName().Name });
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = options.Http.MaxBodyBytes;
            kestrel.Listen(IPAddress.Parse(options.Http.Hostname), options.Http.Port);
        });
        builder.Services.AddRoutingCore();
        builder.Logging.AddSimpleConsole(c => c.SingleLine = true).SetMinimumLevel(LogLevel.Warning);
        var app = builder.Build();
        var node = new HttpNode(system, options, identity, settlement, app.Lifetime.ApplicationStopping);

        app.Use(AnswerErrorsAsJson);
        app.Use(node.Guard.FilterHostsAsync);
        app.Use(node.Guard.RequireTokenAsync);
        DashboardEndpoints.Map(app, node);
        NetworkEndpoints.Map(app, node);
        CommandEndpoints.Map(app, node);
        LedgerEndpoints.Map(app, node);

        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch (IOException e)
        {
            await app.DisposeAsync();
            throw new InvalidOperationException(
                $"the HTTP API can't listen on {options.Http.Hostname}:{options.Http.Port} ({e.Message}): choose another --http-port (0 = any free one) or turn it off with --http false", e);
        }

        _app = app;
        var bound = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        Address = new Uri(bound.EndsWith('/') ? bound : bound + "/");
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_app is not null)
        {
            await _app.StopAsync(cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
            _app = null;
        }
    }

    /// <summary>
    /// The outermost middleware: an exception becomes a JSON answer (the node's log gets the details, the caller a code),
    /// and an empty error answer (no route, wrong method) gets a JSON body.
    /// </summary>
    private async Task AnswerErrorsAsJson(HttpContext context, RequestDelegate next)
    {
        try
        {
            await next(context);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            return; // the caller went away
        }
        catch (BadHttpRequestException e) when (!context.Response.HasStarted)
        {
            var tooLarge = e.StatusCode == StatusCodes.Status413PayloadTooLarge;
            await JsonReplies.ErrorAsync(context, e.StatusCode, tooLarge ? RejectionCodes.TooLarge : RejectionCodes.Malformed,
                tooLarge ? $"body is over the {options.Http.MaxBodyBytes}-byte limit" : e.Message);
            return;
        }
        catch (AskTimeoutException) when (!context.Response.HasStarted)
        {
            await JsonReplies.ErrorAsync(context, StatusCodes.Status504GatewayTimeout, JsonReplies.Timeout,
                $"the node did not answer within {options.Http.RequestTimeoutSeconds:0.#} s");
            return;
        }
        catch (Exception e) when (!context.Response.HasStarted && e is SettlementException
                                      or Nethereum.JsonRpc.Client.RpcClientUnknownException or Nethereum.JsonRpc.Client.RpcClientTimeoutException)
        {
            // Reading a ledger on chain that does not answer (or answers an error) is the chain's fault, not the caller's.
            log.LogWarning("HTTP {Method} {Path}: the ledger did not answer: {Error}", context.Request.Method, context.Request.Path, e.Message);
            await JsonReplies.ErrorAsync(context, StatusCodes.Status502BadGateway, LedgerUnreachable, $"the ledger did not answer: {e.Message}");
            return;
        }
        catch (Exception e) when (!context.Response.HasStarted)
        {
            log.LogError(e, "HTTP {Method} {Path} failed", context.Request.Method, context.Request.Path);
            await JsonReplies.ErrorAsync(context, StatusCodes.Status500InternalServerError, JsonReplies.Internal,
                "the node could not answer this request (see its log)");
            return;
        }

        if (context.Response.HasStarted || context.Response.StatusCode < 400 || context.Response.ContentType is not null)
        {
            return;
        }

        var (code, reason) = context.Response.StatusCode switch
        {
            StatusCodes.Status404NotFound => (JsonReplies.NotFound, $"no endpoint {context.Request.Path}"),
            StatusCodes.Status405MethodNotAllowed => (JsonReplies.MethodNotAllowed, $"{context.Request.Method} is not served at {context.Request.Path}"),
            var status => ($"HTTP_{status}", "request refused"),
        };
        await JsonReplies.ErrorAsync(context, context.Response.StatusCode, code, reason);
    }
}
