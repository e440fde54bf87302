using Akka.Cluster;
using Akka.Event;
using Akka.Hosting;
using Naeural.Actors.Security;
using Naeural.Ledger.Identity;
using Naeural.Ledger.Signing;
using Naeural.Testing;
using Xunit;
using Xunit.Abstractions;

namespace Naeural.Actors.Tests.Security;

/// <summary>
/// Admission over real mutual TLS: a node is a member only if the certificate it presents proves an admitted node key
/// (the operator's --admit list here); an unadmitted node is refused by the seed, told so on its own side, and changes nothing.
/// </summary>
public sealed class NodeAdmissionTests(ITestOutputHelper output) : Akka.TestKit.Xunit2.TestKit
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task An_admitted_node_joins_and_an_unadmitted_one_is_refused_told_why_and_changes_nothing()
    {
        var (seed, admitted, stranger) = (NodeKey.Generate(), NodeKey.Generate(), NodeKey.Generate());
        var members = $"{seed.Address},{admitted.Address}";
        await using var network = await InProcessNetwork.StartAsync(2, i => new NodeCustomization(Options: o =>
        {
            o.Tls = true;
            o.NodeKey = (i == 0 ? seed : admitted).ExportPrivateKeyHex();
            o.Admit = members;
        }));
        await AwaitAssertAsync(() => Assert.All(network.Nodes, n => Assert.Equal(2, Cluster.Get(n.System).State.Members.Count(m => m.Status == MemberStatus.Up))),
            Bound, TimeSpan.FromMilliseconds(100));

        var seedLog = CreateTestProbe(network[0].System);
        network[0].System.EventStream.Subscribe(seedLog.Ref, typeof(LogEvent));
        // The stranger admits the seed (it wants in), but the seed does not admit the stranger.
        // The stranger's errors are watched from its first moment (its refusal may come before its start returns).
        var outsiderLog = CreateTestProbe();
        var outsider = await network.AddNodeAsync(new NodeCustomization(Options: o =>
            {
                o.Tls = true;
                o.NodeKey = stranger.ExportPrivateKeyHex();
                o.Admit = seed.Address;
            },
            Akka: akka => akka.AddStartup((system, _) => system.EventStream.Subscribe(outsiderLog.Ref, typeof(Error)))));

        await ExpectLogAsync(seedLog, $"node {stranger.Address} is not admitted", "the seed refuses the stranger's key");
        await ExpectLogAsync(outsiderLog, "not admitted by the seed", "the stranger is told on its own side");
        Assert.NotEqual(MemberStatus.Up, Cluster.Get(outsider.System).SelfMember.Status);
        Assert.All(network.Nodes.Take(2), n =>
        {
            Assert.DoesNotContain(Cluster.Get(n.System).State.Members, m => m.Address == outsider.Address);
            Assert.Equal(2, Cluster.Get(n.System).State.Members.Count(m => m.Status == MemberStatus.Up));
        });
    }

    [Fact]
    public void A_certificate_bound_to_one_key_but_claiming_another_is_refused()
    {
        var (keyA, keyB) = (NodeKey.Generate(), NodeKey.Generate());
        var admission = new PeerAdmission(NodeKey.Generate().Address, [keyA.Address, keyB.Address], admitLicensed: false);
        var verifier = new Secp256k1Verifier();
        var tls = RemotingTls.ForNode(NodeCertificate.Create(keyA, DateTimeOffset.UtcNow), admission, verifier, [], []);

        var forged = NodeCertificate.Create(keyA, claimed: keyB, DateTimeOffset.UtcNow);
        Assert.False(tls.IsTrusted(forged, null, out var reason));
        Assert.Contains($"claims {keyB.Address}", reason);

        // A certificate signed for by B, whose key the peer does not hold, can't be re-keyed: its binding names the original key.
        var genuineB = NodeCertificate.Create(keyB, DateTimeOffset.UtcNow);
        Assert.True(tls.IsTrusted(genuineB, null, out _));
        Assert.True(NodeCertificate.TryReadBinding(genuineB, verifier, out var address, out _));
        Assert.Equal(keyB.Address, address);

        var notAdmitted = NodeCertificate.Create(NodeKey.Generate(), DateTimeOffset.UtcNow);
        Assert.False(tls.IsTrusted(notAdmitted, null, out var refusal));
        Assert.Contains("not admitted", refusal);
    }

    [Fact]
    public void A_licence_admits_a_node_once_the_licence_set_holds_it_and_a_revoked_one_no_longer()
    {
        var node = NodeKey.Generate().Address;
        var admission = new PeerAdmission(NodeKey.Generate().Address, [], admitLicensed: true);

        Assert.False(admission.IsAdmitted(node, out var before));
        Assert.Contains("not read yet", before);
        admission.UpdateLicences([node.ToLowerInvariant()], DateTimeOffset.UtcNow);
        Assert.True(admission.IsAdmitted(node, out _));
        admission.UpdateLicences([], DateTimeOffset.UtcNow);
        Assert.False(admission.IsAdmitted(node, out _));
    }

    private async Task ExpectLogAsync(Akka.TestKit.TestProbe log, string text, string what)
    {
        var entry = await log.FishForMessageAsync(m => m is LogEvent e && e.ToString().Contains(text, StringComparison.OrdinalIgnoreCase), Bound,
            $"{what} within {Bound.TotalSeconds} s");
        output.WriteLine($"{what}: {entry}");
    }
}
