using Naeural.Actors.Client;
using Naeural.Ledger.Identity;
using Naeural.Testing;
using Xunit;

namespace Naeural.Host.Tests.Http;

/// <summary>
/// One in-process node with its HTTP server on a free port, shared by the HTTP tests (each uses its own pipelines): short
/// epochs and receipt periods so the ledger endpoints have something to show, a ledger authority, a small body limit, and
/// one running pipeline owned by <see cref="Owner"/> for commands that must succeed.
/// </summary>
public sealed class HttpNodeFixture : IAsyncLifetime
{
    public const int MaxBodyBytes = 64 * 1024;
    public const double EpochSeconds = 4;
    public const string Served = "served";

    public InProcessNetwork Network { get; private set; } = null!;

    public InProcessNode Node => Network[0];

    public HttpClient Http { get; private set; } = null!;

    /// <summary>The ledger's authority: may mint, register observers and fund epochs.</summary>
    public NodeKey Authority { get; } = NodeKey.Generate();

    /// <summary>The owner of the <see cref="Served"/> pipeline.</summary>
    public Developer Owner { get; } = new();

    public async Task InitializeAsync()
    {
        Network = await InProcessNetwork.StartAsync(1, _ => new NodeCustomization(Options: o =>
        {
            o.Http.MaxBodyBytes = MaxBodyBytes;
            o.EpochSeconds = EpochSeconds;
            o.Metering.ReceiptPeriodSeconds = 0.5;
            o.Ledger.MintAuthorities = Authority.Address;
        }));
        Http = new HttpClient { BaseAddress = Node.HttpAddress, Timeout = TimeSpan.FromSeconds(60) };
        await using var client = Owner.ClientFor(Node);
        await client.DeployAsync(Specs.Sensor(Served, "PASS_THROUGH", rate: 5));
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
        await Network.DisposeAsync();
    }
}

/// <summary>Tests that start in-process nodes run one class at a time (two cores are shared with everything else).</summary>
[CollectionDefinition(Name)]
public sealed class InProcessNodes
{
    public const string Name = "in-process nodes";
}
