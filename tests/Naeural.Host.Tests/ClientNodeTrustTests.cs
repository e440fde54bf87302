using Naeural.Actors.Security;
using Naeural.Ledger.Identity;
using Naeural.Ledger.Signing;
using Naeural.Testing;
using Xunit;

namespace Naeural.Host.Tests;

/// <summary>
/// A client reaching a TLS node trusts the node's self-signed certificate only through its node-key binding, and only when
/// the binding proves the node id the user named (<c>--node-id</c>): any other node, or a certificate without a binding, is
/// refused with the reason.
/// </summary>
public sealed class ClientNodeTrustTests
{
    [Fact]
    public async Task The_cli_reaches_a_tls_node_when_given_its_node_id_and_is_refused_clearly_when_given_another()
    {
        using var pki = new TestCertificates();
        using var data = new TempDirectory("naeural-cli-trust");
        var clientCertificate = pki.Stranger("cli");
        var pin = RemotingTls.Fingerprint(TestCertificates.Load(clientCertificate));
        await using var network = await InProcessNetwork.StartAsync(1, _ => new NodeCustomization(Options: o =>
        {
            o.Tls = true;
            o.TlsPeers = pin; // the node trusts this client's certificate
        }));
        var node = network[0];
        var other = NodeKey.Generate().Address;
        string[] Nodes(params string[] nodeId) =>
        [
            "nodes", "--node", node.EdgeAddress.ToString(), .. nodeId, "--tls-certificate", clientCertificate,
            "--tls-password", TestCertificates.Password, "--key", data.Sub("developer.key"),
        ];

        var trusted = await HostCli.RunAsync(Nodes("--node-id", node.NodeId));
        var refused = await HostCli.RunAsync(Nodes("--node-id", other));
        var unnamed = await HostCli.RunAsync(Nodes());

        Assert.True(trusted.ExitCode == 0, trusted.Output);
        Assert.Contains(node.NodeId, trusted.Output);
        Assert.Contains("1 node(s)", trusted.Output);
        Assert.True(refused.ExitCode == 1, refused.Output);
        Assert.Contains("refused the node's TLS certificate", refused.Output);
        Assert.Contains($"it proves node {node.NodeId}", refused.Output);
        Assert.Contains($"--node-id {other}", refused.Output);
        Assert.True(unnamed.ExitCode == 1, unnamed.Output);
        Assert.Contains("--node-id", unnamed.Output);
    }

    [Fact]
    public void A_clients_tls_trusts_only_a_node_certificate_bound_to_an_expected_node_id()
    {
        using var pki = new TestCertificates();
        var (expected, stranger) = (NodeKey.Generate(), NodeKey.Generate());
        var verifier = new Secp256k1Verifier();
        var tls = RemotingTls.ForClient(TestCertificates.Load(pki.Stranger("me")), [expected.Address.ToLowerInvariant()], verifier);

        Assert.True(tls.IsTrusted(NodeCertificate.Create(expected, DateTimeOffset.UtcNow), null, out _));
        Assert.False(tls.IsTrusted(NodeCertificate.Create(stranger, DateTimeOffset.UtcNow), null, out var otherNode));
        Assert.Contains($"proves node {stranger.Address}", otherNode);
        Assert.False(tls.IsTrusted(NodeCertificate.Create(stranger, expected, DateTimeOffset.UtcNow), null, out var forged));
        Assert.Contains("binding", forged);
        Assert.False(tls.IsTrusted(TestCertificates.Load(pki.Issue("unbound")), null, out var unbound));
        Assert.Contains("no node-key binding", unbound);
        Assert.Contains("--node-id", Assert.Throws<ArgumentException>(() => RemotingTls.ForClient(TestCertificates.Load(pki.Stranger("me")), [], verifier)).Message);
    }
}
