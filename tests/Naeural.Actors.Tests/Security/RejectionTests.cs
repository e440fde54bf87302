using System.Text.Json.Nodes;
using Akka.Actor;
using Naeural.Actors.Api;
using Naeural.Actors.Client;
using Naeural.Actors.Commands;
using Naeural.Actors.Payloads;
using Naeural.Actors.Pipelines;
using Naeural.Actors.Security;
using Naeural.Actors.Serialization;
using Naeural.Testing;
using Xunit;

namespace Naeural.Actors.Tests.Security;

/// <summary>
/// A SECURED node that lists one owner, with that owner's control pipeline delivering payloads to a subscriber: what the
/// rejection tests attack, and what must keep working while they do.
/// </summary>
public sealed class SecuredNodeWithControlPipeline : IAsyncLifetime
{
    public Developer Owner { get; } = new();

    public InProcessNetwork Network { get; private set; } = null!;

    public InProcessNode Node => Network[0];

    public PayloadCollector Control { get; } = new();

    /// <summary>A secured node speaks TLS only: its CA admits remote clients (the tests' developer machine).</summary>
    public TestCertificates Pki { get; } = new();

    /// <summary>A client on another actor system, over TLS with a certificate the node's CA issued.</summary>
    public NaeuralClient ConnectRemote() => NaeuralClient.Connect(Node.EdgeAddress.ToString(), Owner.Key, Developer.Options with
    {
        Tls = RemotingTls.ForClient(TestCertificates.Load(Pki.Issue("developer")), [Node.NodeId], new Naeural.Ledger.Signing.Secp256k1Verifier()),
    });

    private PayloadSubscription? _subscription;

    public async Task InitializeAsync()
    {
        Network = await InProcessNetwork.StartAsync(1, _ => new NodeCustomization(Options: o =>
        {
            o.Secured = true;
            o.AllowedOwners = Owner.Address;
            o.TlsCa = Pki.CaPath;
        }));
        var client = Owner.ClientFor(Node);
        await client.DeployAsync(Specs.Sensor("control", "PASS_THROUGH", rate: 20));
        _subscription = await Control.SubscribeAsync(client, "control");
    }

    public async Task DisposeAsync()
    {
        if (_subscription is not null)
        {
            await _subscription.DisposeAsync();
        }

        await Network.DisposeAsync();
        Pki.Dispose();
    }
}

/// <summary>
/// Every way a command is refused, side by side, each with its exact code, nothing changed, and the node still serving
/// its other pipeline (the control pipeline keeps delivering) right after.
/// </summary>
public sealed class RejectionTests(SecuredNodeWithControlPipeline fixture)
    : Akka.TestKit.Xunit2.TestKit, IClassFixture<SecuredNodeWithControlPipeline>
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);

    private NaeuralClient Client => fixture.Owner.ClientFor(fixture.Node);

    [Fact]
    public async Task A_forged_signature_is_BAD_SIGNATURE()
    {
        var signed = Create("forged");
        var forged = new SignedCommand(signed.Json.Replace("\"CAP_RESOLUTION\":5", "\"CAP_RESOLUTION\":500"));

        await RejectedAsync(forged, RejectionCodes.BadSignature);
        await NotDeployedAsync("forged");
    }

    [Fact]
    public async Task A_stale_command_is_STALE()
    {
        await RejectedAsync(Create("stale", DateTimeOffset.UtcNow.AddMinutes(-6)), RejectionCodes.Stale);
        await RejectedAsync(Create("from-the-future", DateTimeOffset.UtcNow.AddMinutes(6)), RejectionCodes.Stale);
        await NotDeployedAsync("stale");
    }

    [Fact]
    public async Task A_replayed_command_is_REPLAYED_and_obeyed_once()
    {
        var stop = SignedCommand.Create(PipelineActions.Stop, "replayed", null, fixture.Owner.Key, DateTimeOffset.UtcNow);
        await Client.SendAsync(Create("replayed"));
        var stopped = await Client.SendAsync(stop);

        await RejectedAsync(stop, RejectionCodes.Replayed);
        Assert.Equal(stopped.Version, (await fixture.Node.PipelineStatusAsync(stopped.PipelineId)).Version);
    }

    [Fact]
    public async Task A_command_signed_for_another_network_is_WRONG_NETWORK_and_changes_nothing()
    {
        var spec = JsonNode.Parse(Specs.Sensor("testnet", "COUNTER", rate: 5));
        var forTestnet = SignedCommand.Create(PipelineActions.Create, "testnet", spec, fixture.Owner.Key, DateTimeOffset.UtcNow, network: "naeural-testnet");

        var rejected = await RejectedAsync(forTestnet, RejectionCodes.WrongNetwork);
        Assert.Contains("'naeural-testnet'", rejected.Reason);
        await NotDeployedAsync("testnet");
    }

    [Fact]
    public async Task A_command_without_a_network_is_WRONG_NETWORK()
    {
        var json = new JsonObject
        {
            ["ACTION"] = PipelineActions.Create, ["PIPELINE"] = "no-network", ["PAYLOAD"] = JsonNode.Parse(Specs.Sensor("no-network", "COUNTER")),
            ["NONCE"] = Guid.NewGuid().ToString("N"), ["TIME"] = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
        };
        var unscoped = new SignedCommand(Naeural.Actors.Security.SignedJson.Sign(json, fixture.Owner.Key).ToJsonString());

        await RejectedAsync(unscoped, RejectionCodes.WrongNetwork);
        await NotDeployedAsync("no-network");
    }

    [Fact]
    public async Task A_refused_command_replayed_later_is_REPLAYED_not_looked_at_again()
    {
        var unlisted = new Developer();
        var command = SignedCommand.Create(PipelineActions.Create, "refused-then-replayed", JsonNode.Parse(Specs.Sensor("refused-then-replayed", "COUNTER")),
            unlisted.Key, DateTimeOffset.UtcNow);
        await RejectedAsync(command, RejectionCodes.NotAllowed);

        var replayed = await RejectedAsync(command, RejectionCodes.Replayed);
        Assert.Contains("already used", replayed.Reason);
    }

    [Fact]
    public async Task A_replayed_subscription_is_REPLAYED_and_starts_no_relay()
    {
        var api = fixture.Node.System.ActorSelection(NodeApi.Path);
        var subscribe = SignedCommand.Create(PipelineActions.Subscribe, "control", new JsonObject { ["AFTER_SEQUENCE"] = 0 }, fixture.Owner.Key, DateTimeOffset.UtcNow);
        var started = await api.Ask<PayloadSubscriptionStarted>(subscribe, Bound);
        started.Relay.Tell(EndSubscription.Instance);

        var replay = await api.Ask<object>(subscribe, Bound);

        Assert.Equal(RejectionCodes.Replayed, Assert.IsType<CommandRejected>(replay).Code);
    }

    [Fact]
    public async Task A_replayed_job_query_is_REPLAYED()
    {
        var api = fixture.Node.System.ActorSelection(NodeApi.Path);
        var query = SignedCommand.Create(Naeural.Actors.Jobs.JobActions.Get, "no-such-job", null, fixture.Owner.Key, DateTimeOffset.UtcNow);
        var first = await api.Ask<object>(query, Bound);
        Assert.False(first is CommandRejected { Code: RejectionCodes.Replayed }, "the first query is answered");

        var replay = await api.Ask<object>(query, Bound);

        Assert.Equal(RejectionCodes.Replayed, Assert.IsType<CommandRejected>(replay).Code);
    }

    [Fact]
    public async Task Someone_elses_signature_on_an_existing_pipeline_is_NOT_OWNER()
    {
        await Client.DeployAsync(Specs.Sensor("owned", "COUNTER", rate: 5));
        var intruder = new Developer();
        var stop = SignedCommand.Create(PipelineActions.Stop, "owned", null, intruder.Key, DateTimeOffset.UtcNow, owner: fixture.Owner.Address);

        await RejectedAsync(stop, RejectionCodes.NotOwner);
        Assert.Equal(PipelineStatus.Running, (await fixture.Node.PipelineStatusAsync(CommandEnvelope.PipelineIdOf(fixture.Owner.Address, "owned"))).Status);
    }

    [Fact]
    public async Task An_owner_the_secured_node_does_not_list_is_NOT_ALLOWED()
    {
        var unlisted = new Developer();
        var command = SignedCommand.Create(PipelineActions.Create, "unlisted", JsonNode.Parse(Specs.Sensor("unlisted", "COUNTER")), unlisted.Key, DateTimeOffset.UtcNow);

        var rejected = await RejectedAsync(command, RejectionCodes.NotAllowed);
        Assert.Contains("is SECURED", rejected.Reason);
        Assert.DoesNotContain(await fixture.Node.Client.GetPipelinesAsync(onlyMine: false), p => p.Owner.Equals(unlisted.Address, StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task An_oversized_command_through_the_real_front_door_is_TOO_LARGE_and_the_next_one_works()
    {
        // Over remoting, as a developer's machine would send it: under the transport's 4 MiB cap, over the 256 KiB command cap.
        await using var remote = fixture.ConnectRemote();
        var big = Create("oversized", padding: 300 * 1024);
        var tooLarge = await Assert.ThrowsAsync<PipelineCommandException>(() => remote.SendAsync(big));
        Assert.Equal(RejectionCodes.TooLarge, tooLarge.Code);

        // Over the transport's cap: refused by the client before it leaves (the serializer would refuse it, not drop the link).
        var huge = Create("huge", padding: 5 * 1024 * 1024);
        Assert.Equal(RejectionCodes.TooLarge, (await Assert.ThrowsAsync<PipelineCommandException>(() => remote.SendAsync(huge))).Code);
        var refusals = CreateTestProbe(remote.System);
        remote.System.EventStream.Subscribe(refusals.Ref, typeof(MessageRefused));
        remote.Edge.Tell(huge, ActorRefs.NoSender); // sent anyway, bypassing the client's check
        var refused = refusals.ExpectMsg<MessageRefused>(Bound);
        Assert.Equal(RefusalSide.Outbound, refused.Side);
        Assert.Contains("over the", refused.Reason);

        // The same connection keeps working.
        Assert.Equal(NotificationCodes.PipelineOk, (await remote.DeployAsync(Specs.Sensor("after-oversized", "COUNTER", rate: 5))).Code);
        await NotDeployedAsync("oversized");
        await ControlKeepsDeliveringAsync();
    }

    private SignedCommand Create(string name, DateTimeOffset? at = null, int padding = 0)
    {
        var spec = JsonNode.Parse(Specs.Sensor(name, "COUNTER", rate: 5))!.AsObject();
        if (padding > 0)
        {
            spec["PADDING"] = new string('x', padding);
        }

        return SignedCommand.Create(PipelineActions.Create, name, spec, fixture.Owner.Key, at ?? DateTimeOffset.UtcNow);
    }

    /// <summary>Sends through the node's front door, expects exactly <paramref name="code"/>, then the control pipeline still delivering.</summary>
    private async Task<PipelineCommandException> RejectedAsync(SignedCommand command, string code)
    {
        var error = await Assert.ThrowsAsync<PipelineCommandException>(() => Client.SendAsync(command));
        Assert.Equal(code, error.Code);
        await ControlKeepsDeliveringAsync();
        return error;
    }

    private async Task ControlKeepsDeliveringAsync()
    {
        var before = fixture.Control.Payloads.Count;
        await AwaitAssertAsync(() => Assert.True(fixture.Control.Payloads.Count >= before + 5, "the control pipeline keeps delivering"),
            Bound, TimeSpan.FromMilliseconds(100));
        Assert.All(fixture.Control.Payloads, p => Assert.True(p.Verified));
    }

    private async Task NotDeployedAsync(string name) =>
        Assert.Equal(PipelineStatus.None, (await fixture.Node.PipelineStatusAsync(CommandEnvelope.PipelineIdOf(fixture.Owner.Address, name))).Status);
}
