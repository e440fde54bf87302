using Akka.Actor;
using Akka.Hosting;
using Naeural.Host.Hosting;
using Naeural.Ledger.Channels;
using Naeural.Ledger.Identity;
using Xunit;

namespace Naeural.Host.Tests;

public sealed class NodeSettlementTests
{
    /// <summary>Channels, licence watch, epoch rewards and the HTTP API share one backend (one chain client, one nonce sequence).</summary>
    [Fact]
    public async Task A_node_makes_its_settlement_backend_once()
    {
        using var system = ActorSystem.Create("settlement");
        var registry = new ActorRegistry();
        registry.Register<LedgerGate>(system.DeadLetters);
        var settlement = new NodeSettlement(new NodeOptions(), NodeKey.Generate());

        var backends = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => settlement.Backend(registry))));

        Assert.All(backends, backend => Assert.Same(backends[0], backend));
        Assert.IsType<SignedEmbeddedSettlement>(backends[0]);
    }
}
