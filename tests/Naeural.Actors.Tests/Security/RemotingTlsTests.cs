using Akka.Actor;
using Akka.Cluster;
using Akka.Event;
using Naeural.Actors.Client;
using Naeural.Actors.Security;
using Naeural.Actors.Api;
using Naeural.Actors.Network;
using Naeural.Testing;
using Xunit;
using Xunit.Abstractions;

namespace Naeural.Actors.Tests.Security;

/// <summary>
/// TLS with mutual authentication on the remoting port: nodes with certificates from the network's CA form a cluster and
/// carry payloads to a TLS client; a node with a stranger's certificate, or without TLS, never gets in.
/// </summary>
public sealed class RemotingTlsTests(ITestOutputHelper output) : Akka.TestKit.Xunit2.TestKit
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Tls_nodes_cluster_and_deliver_payloads_while_strangers_and_plain_nodes_never_get_in()
    {
        using var pki = new TestCertificates();
        var keys = new[] { Naeural.Ledger.Identity.NodeKey.Generate(), Naeural.Ledger.Identity.NodeKey.Generate() };
        var members = string.Join(",", keys.Select(k => k.Address));
        // Nodes: their own certificates bound to their keys, admitting each other; the CA admits remote clients.
        await using var network = await InProcessNetwork.StartAsync(2, i => new NodeCustomization(Options: o =>
        {
            o.Tls = true;
            o.NodeKey = keys[i].ExportPrivateKeyHex();
            o.Admit = members;
            o.TlsCa = pki.CaPath;
        }));
        Assert.All(network.Nodes, n => Assert.Equal(RemotingTls.Scheme, n.Address.Protocol));
        await AwaitAssertAsync(() => Assert.All(network.Nodes, n => Assert.Equal(2, Cluster.Get(n.System).State.Members.Count(m => m.Status == MemberStatus.Up))),
            Bound, TimeSpan.FromMilliseconds(100));

        // A pipeline on node 0, its payloads to a developer whose client connects to node 1's client edge over TLS with a
        // CA-issued certificate, trusting node 1's certificate by its node id only: node 0's payloads come through node 1's edge.
        var developer = new Developer();
        Assert.Equal(RemotingTls.Scheme, network[1].EdgeAddress.Protocol);
        await using var client = NaeuralClient.Connect(network[1].EdgeAddress.ToString(), developer.Key, Developer.Options with
        {
            Tls = RemotingTls.ForClient(TestCertificates.Load(pki.Issue("developer")), [network[1].NodeId], new Naeural.Ledger.Signing.Secp256k1Verifier()),
        });
        var deployed = await client.DeployAsync(Specs.Sensor("over-tls", "PASS_THROUGH", rate: 20)
            .Replace("\"SEED\": 7", $$"""  "SEED": 7, "PLACEMENT": { "NODE": "{{network[0].NodeId}}" }"""));
        Assert.Equal(network[0].NodeId, (await network[1].PipelineStatusAsync(deployed.PipelineId)).NodeId);
        var collector = new PayloadCollector();
        await using var subscription = await collector.SubscribeAsync(client, "over-tls");
        await AwaitAssertAsync(() => Assert.True(collector.Payloads.Count >= 5), Bound, TimeSpan.FromMilliseconds(100));
        Assert.All(collector.Payloads, p => Assert.True(p.Verified));

        // What the seed refuses, watched from before the outsiders start (their first attempts come at once).
        var seedWarnings = CreateTestProbe(network[0].System);
        network[0].System.EventStream.Subscribe(seedWarnings.Ref, typeof(LogEvent));

        // A node whose key the network does not admit (it admits the seed itself, so only the others' check can stop it).
        var stranger = await StartOutsiderAsync(network, new NodeCustomization(Options: o =>
        {
            o.Tls = true;
            o.Admit = members;
            o.TlsCa = pki.CaPath;
        }));
        // A node without TLS, pointed at the TLS port with a plain address.
        var plainSeed = $"akka.tcp://naeural@{network[0].Address.Host}:{network[0].Address.Port}";
        var plain = await StartOutsiderAsync(network, new NodeCustomization(Options: o => { o.Tls = false; o.Seeds = plainSeed; }));

        await ExpectRefusalAsync(seedWarnings, "TLS: refused the certificate", "the stranger's certificate");
        await ExpectRefusalAsync(seedWarnings, "not an SSL/TLS record", "the plain node's connection");
        var outsiders = new[] { (Node: stranger, Scheme: RemotingTls.Scheme), (Node: plain, Scheme: "akka.tcp") }
            .Where(o => o.Node is not null).Select(o => (Node: o.Node!, o.Scheme)).ToList();
        foreach (var (outsider, _) in outsiders)
        {
            Assert.NotEqual(MemberStatus.Up, Cluster.Get(outsider.System).SelfMember.Status);
        }

        Assert.All(network.Nodes.Take(2), n => Assert.Equal(2, Cluster.Get(n.System).State.Members.Count));

        // Their requests get no answer (a member would answer at once), nor does a client with a stranger's certificate.
        foreach (var (outsider, scheme) in outsiders)
        {
            var replies = CreateTestProbe(outsider.System);
            outsider.System.ActorSelection($"{scheme}://naeural@{network[1].Address.Host}:{network[1].Address.Port}{NodeApi.Path}")
                .Tell(GetNodes.Instance, replies.Ref);
            replies.ExpectNoMsg(TimeSpan.FromSeconds(3));
        }

        await using (var intruder = NaeuralClient.Connect(network[1].EdgeAddress.ToString(), new Developer().Key, Developer.Options with
        {
            RequestTimeout = TimeSpan.FromSeconds(3),
            Tls = RemotingTls.ForClient(TestCertificates.Load(pki.Stranger("intruder")), [network[1].NodeId], new Naeural.Ledger.Signing.Secp256k1Verifier()),
        }))
        {
            await Assert.ThrowsAsync<AskTimeoutException>(() => intruder.GetNodesAsync());
        }

        // The TLS pair kept working throughout: still two members, payloads still flowing.
        var before = collector.Payloads.Count;
        await AwaitAssertAsync(() => Assert.True(collector.Payloads.Count >= before + 5), Bound, TimeSpan.FromMilliseconds(100));
        Assert.All(network.Nodes.Take(2), n => Assert.Equal(2, Cluster.Get(n.System).State.Members.Count(m => m.Status == MemberStatus.Up)));
        Assert.Equal(2, (await client.GetNodesAsync()).Nodes.Length);
    }

    [Fact]
    public void A_pinned_certificate_is_trusted_without_a_ca_and_an_unpinned_one_is_not()
    {
        using var pki = new TestCertificates();
        var friend = TestCertificates.Load(pki.Stranger("friend"));
        var other = TestCertificates.Load(pki.Stranger("other"));
        var issued = TestCertificates.Load(pki.Issue("issued"));
        var (me, verifier) = (TestCertificates.Load(pki.Issue("me")), new Naeural.Ledger.Signing.Secp256k1Verifier());
        var admission = new PeerAdmission(Naeural.Ledger.Identity.NodeKey.Generate().Address, [], admitLicensed: false);
        var pinned = RemotingTls.ForNode(me, admission, verifier, [], [RemotingTls.Fingerprint(friend)]);
        var byCa = RemotingTls.ForNode(me, admission, verifier, RemotingTls.LoadAuthorityFiles([pki.CaPath]), []);

        Assert.True(pinned.IsTrusted(friend, null, out _));
        Assert.False(pinned.IsTrusted(other, null, out var notPinned));
        Assert.Contains("not pinned", notPinned);
        Assert.True(byCa.IsTrusted(issued, null, out _));
        Assert.False(byCa.IsTrusted(friend, null, out var notIssued));
        Assert.Contains("does not chain to a trusted authority", notIssued);
        Assert.True(RemotingTls.IsFingerprint(RemotingTls.Fingerprint(friend)));
        Assert.False(RemotingTls.IsFingerprint("AB:CD"));
    }

    /// <summary>
    /// Starts a node the network must keep out. On a loaded machine its own actor system has been seen to stop while its host
    /// was still starting (the cause is printed): then it is out too, and null is returned (its requests are not tried).
    /// </summary>
    private async Task<InProcessNode?> StartOutsiderAsync(InProcessNetwork network, NodeCustomization customization)
    {
        try
        {
            return await network.AddNodeAsync(customization);
        }
        catch (NodeStoppedWhileStartingException e)
        {
            output.WriteLine($"outsider stopped itself while starting: {e.Message}");
            return null;
        }
    }

    /// <summary>Waits (bounded) until the seed logged a refusal (warning or error) containing <paramref name="text"/>.</summary>
    private async Task ExpectRefusalAsync(Akka.TestKit.TestProbe warnings, string text, string what)
    {
        var refusal = await warnings.FishForMessageAsync(m => m is LogEvent e && e.Message?.ToString()?.Contains(text) == true, Bound,
            $"the seed should refuse {what} within {Bound.TotalSeconds} s");
        output.WriteLine($"{what}: {((LogEvent)refusal).Message}");
    }
}
