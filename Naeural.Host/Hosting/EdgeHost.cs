using Akka.Actor;
using Akka.Hosting;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Naeural.Actors.Api;
using Naeural.Actors.Edge;
using Naeural.Actors.Metering;
using Naeural.Actors.Network;
using Naeural.Actors.Security;
using Naeural.Actors.Serialization;
using Naeural.Ledger;
using Naeural.Ledger.Billing;
using Naeural.Ledger.Channels;
using Naeural.Ledger.Epochs;
using Naeural.Ledger.Identity;

namespace Naeural.Host.Hosting;

/// <summary>
/// Runs the node's client edge (<see cref="EdgeSystem"/>) beside its actor system: started after it (the edge routes to its
/// actors), stopped before it. Same interface, TLS certificate and message cap as the member port; clients are admitted by
/// <c>--tls-ca</c> / <c>--tls-peers</c> here, and nowhere else. The edge logs through the node's logging.
/// </summary>
public sealed class EdgeHost(ActorSystem node, NodeKey identity, NodeOptions options, PeerAdmission admission, ILoggerFactory logs) : IHostedService
{
    private EdgeSystem? _edge;

    /// <summary>The address clients connect to (<c>akka.tcp://naeural-edge@host:port</c>); null before start.</summary>
    public Address? Address => _edge?.Address;

    /// <summary>The edge's actor system (null before start).</summary>
    public ActorSystem? System => _edge?.System;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var registry = ActorRegistry.For(node);
        var routes = EdgeRoutes.ForKernel(node, identity.Address, registry.Get<NodeApi>(), registry.Get<NetworkView>())
            .WithLedger(registry.Get<LedgerGate>(), registry.Get<NodeBilling>(), registry.Get<PaymentChannelEntity>(), registry.Get<EpochObserver>());
        _edge = EdgeSystem.Start(
            new EdgeSystemOptions(options.Hostname, options.PublicHostname, options.EdgePort, [.. KernelMessages.Client, .. LedgerMessages.Client],
                options.MaxMessageBytes, options.LoadTls(identity, admission),
                Logging: new EdgeLogging(typeof(Akka.Hosting.Logging.LoggerFactoryLogger).AssemblyQualifiedName!, new Akka.Hosting.Logging.LoggerFactorySetup(logs),
                    options.Telemetry.IsJson ? typeof(JsonStdoutLogger).AssemblyQualifiedName : null),
                WireFormat: options.WireFormat),
            routes, new EdgeSettings());
        return Task.CompletedTask;
    }

    /// <summary>Terminates the edge's actor system; gives up waiting when the host's shutdown time is over (the process is ending).</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_edge is not null)
        {
            try
            {
                await _edge.DisposeAsync().AsTask().WaitAsync(cancellationToken);
            }
            catch (OperationCanceledException)
            {
                // The host's shutdown timeout passed: the node stops without waiting for the edge's remoting to close.
            }
        }
    }
}
