using Akka.Actor;
using Akka.Hosting;
using Microsoft.AspNetCore.Http;
using Naeural.Actors.Api;
using Naeural.Actors.Metering;
using Naeural.Actors.Payloads;
using Naeural.Actors.Pipelines;
using Naeural.Actors.Telemetry;
using Naeural.Host.Hosting;
using Naeural.Ledger.Billing;
using Naeural.Ledger.Channels;
using Naeural.Ledger.Epochs;
using Naeural.Ledger.Identity;

using Naeural.Actors.Security;
using Naeural.Ledger.Signing;

namespace Naeural.Host.Http;

/// <summary>
/// What the HTTP endpoints talk to: the node's own actors, found in its actor registry once the actor system has started.
/// Signed requests go to the same actors the actor API uses (<see cref="Api"/>, <see cref="Ledger"/>), which verify them.
/// </summary>
internal sealed class HttpNode
{
    public HttpNode(ActorSystem system, NodeOptions options, NodeKey identity, NodeSettlement settlement, CancellationToken stopping)
    {
        var registry = ActorRegistry.For(system);
        System = system;
        Options = options;
        NodeId = identity.Address;
        Metrics = NodeMetrics.For(system);
        Stopping = stopping;
        Timeout = options.Http.RequestTimeout;
        Guard = new RequestGuard(options.Http);
        Api = registry.Get<NodeApi>();
        Pipelines = registry.Get<PipelineEntity>();
        Ledger = registry.Get<LedgerGate>();
        Billing = registry.Get<NodeBilling>();
        Meter = registry.Get<WorkMeter>();
        Epochs = registry.Get<EpochArchive>();
        Settlement = settlement.Backend(registry);
    }

    public ActorSystem System { get; }

    public NodeOptions Options { get; }

    public string NodeId { get; }

    /// <summary>This node's metrics: its live count of emitted payloads (its heartbeat carries it to the others).</summary>
    public NodeMetrics Metrics { get; }

    /// <summary>Cancelled when the HTTP server stops: long-lived streams end with it.</summary>
    public CancellationToken Stopping { get; }

    /// <summary>The host filter and the stream slots.</summary>
    public RequestGuard Guard { get; }

    /// <summary>How long a request waits for an actor's answer.</summary>
    public TimeSpan Timeout { get; }

    /// <summary>The front door (<see cref="NodeApi"/>): queries and signed commands.</summary>
    public IActorRef Api { get; }

    /// <summary>Checks the node signatures of the payloads a stream writes.</summary>
    public ISignatureVerifier Verifier { get; } = new Secp256k1Verifier();

    /// <summary>The pipelines' shard region.</summary>
    public IActorRef Pipelines { get; }

    /// <summary>The proxy to the ledger singleton (its gate verifies signed requests).</summary>
    public IActorRef Ledger { get; }

    public IActorRef Billing { get; }

    public IActorRef Meter { get; }

    public IActorRef Epochs { get; }

    /// <summary>The ledger this node settles on, for reading balances, channel records, observers and rewards (embedded or on chain).</summary>
    public ISettlementBackend Settlement { get; }

    public Task<T> AskAsync<T>(IActorRef target, object message, HttpContext context) =>
        target.Ask<T>(message, Timeout, context.RequestAborted);
}
