using Microsoft.Extensions.Configuration;
using Naeural.Actors.Security;
using Naeural.Host.Hosting;
using Naeural.Ledger.Signing;
using Naeural.Testing;
using Xunit;

namespace Naeural.Host.Tests;

/// <summary>The security settings: <c>--secured</c> and the remoting TLS flags, bound and checked like every other setting.</summary>
public sealed class SecurityOptionsTests
{
    [Fact]
    public void The_security_flags_bind_to_their_settings()
    {
        var options = Bind("--secured", "true", "--tls-certificate", "node.pfx", "--tls-password", "secret", "--tls-ca", "ca.crt, other-ca.crt",
            "--tls-peers", "AB:CD", "--tls-mutual", "false", "--tls", "true");

        Assert.True(options.Secured);
        Assert.Equal(("node.pfx", "secret", "ca.crt, other-ca.crt", "AB:CD", false, true),
            (options.TlsCertificate, options.TlsPassword, options.TlsCa, options.TlsPeers, options.TlsMutual, options.Tls));
        Assert.True(options.TlsEnabled);
        Assert.Equal("akka.ssl.tcp", options.AddressScheme);
    }

    [Fact]
    public void By_default_a_node_is_unsecured_and_plain_with_mutual_tls_ready_when_tls_is_on()
    {
        var options = Bind();

        Assert.False(options.Secured);
        Assert.False(options.TlsEnabled);
        Assert.True(options.TlsMutual);
        Assert.Null(options.LoadTls(Naeural.Ledger.Identity.NodeKey.Generate(), options.Admission("0x0000000000000000000000000000000000000001")));
    }

    [Fact]
    public void Tls_settings_that_cannot_work_are_refused_naming_the_flag()
    {
        using var pki = new TestCertificates();
        using var data = new TempDirectory("naeural-tls-options");
        var certificate = pki.Issue("node");
        var key = Naeural.Ledger.Identity.NodeKey.Generate();

        Assert.Contains("--tls-certificate", Refusal(new NodeOptions { TlsCertificate = "/no/such.pfx" }));
        Assert.Contains("--tls-ca", Refusal(new NodeOptions { Tls = true, TlsCa = "/no/such.crt" }));
        Assert.Contains("akka.ssl.tcp", Refusal(new NodeOptions { Tls = true, Admit = key.Address, Seeds = "akka.tcp://naeural@127.0.0.1:4053" }));
        Assert.Contains("--admit", Refusal(new NodeOptions { Tls = true, Seeds = "akka.ssl.tcp://naeural@127.0.0.1:4053" }));
        Assert.Contains("--admit", Refusal(new NodeOptions { Admit = "0x1234" }));
        Assert.Contains("--tls-peers", Refusal(new NodeOptions { Tls = true, TlsPeers = "AB:CD" }));

        // A certificate not bound to the node's key is refused; without one the node makes and keeps its own bound certificate.
        var unbound = new NodeOptions { TlsCertificate = certificate, TlsPassword = TestCertificates.Password, DataDirectory = data.Path };
        unbound.Validate();
        Assert.Contains("not bound to this node's key", Assert.Throws<ArgumentException>(() => unbound.LoadTls(key, unbound.Admission(key.Address))).Message);
        var own = new NodeOptions { Tls = true, TlsCa = pki.CaPath, DataDirectory = data.Path };
        own.Validate();
        var tls = own.LoadTls(key, own.Admission(key.Address))!;
        Assert.True(tls.Certificate.HasPrivateKey && tls.RequireMutualAuthentication && tls.Admission is not null);
        Assert.True(NodeCertificate.TryReadBinding(tls.Certificate, new Secp256k1Verifier(), out var bound, out _));
        Assert.Equal(key.Address, bound);
        Assert.Equal(tls.Certificate.Thumbprint, own.LoadTls(key, own.Admission(key.Address))!.Certificate.Thumbprint); // kept, not remade
        Assert.Single(tls.TrustedAuthorities);
    }

    [Fact]
    public void Secured_without_tls_is_refused_at_start_naming_the_flags()
    {
        var refusal = Refusal(Bind("--secured", "true", "--tls", "false"));

        Assert.Contains("--secured", refusal);
        Assert.Contains("--tls", refusal);
    }

    [Theory]
    [InlineData("--hostname", "0.0.0.0")]
    [InlineData("--hostname", "10.1.2.3")]
    [InlineData("--public-hostname", "node7.example")]
    public void A_node_reachable_from_other_machines_without_tls_is_refused_at_start(string flag, string host)
    {
        var refusal = Refusal(Bind(flag, host, "--tls", "false"));

        Assert.Contains(flag, refusal);
        Assert.Contains("--tls", refusal);
    }

    [Fact]
    public void Mutual_tls_cannot_be_turned_off()
    {
        Assert.Contains("--tls-mutual", Refusal(Bind("--tls-mutual", "false")));
        Assert.Contains("--tls-mutual", Refusal(Bind("--secured", "true", "--tls-mutual", "false")));
    }

    [Fact]
    public void Secured_or_a_reachable_binding_alone_turns_tls_on_with_the_nodes_own_certificate()
    {
        foreach (var options in new[] { Bind("--secured", "true"), Bind("--hostname", "0.0.0.0"), Bind("--public-hostname", "seed.example") })
        {
            options.Validate();
            Assert.True(options.TlsEnabled);
            Assert.Equal("akka.ssl.tcp", options.AddressScheme);
        }

        Assert.False(Bind("--hostname", "localhost").TlsEnabled);
    }

    [Fact]
    public void The_admission_flags_bind_to_their_settings()
    {
        var (a, b) = (Naeural.Ledger.Identity.NodeKey.Generate().Address, Naeural.Ledger.Identity.NodeKey.Generate().Address);
        var options = Bind("--admit", $"{a},{b}", "--admit-licensed", "true", "--licence-refresh", "30", "--tls", "true");
        options.Validate();
        var admission = options.Admission("0x0000000000000000000000000000000000000001");

        Assert.Equal([a, b], options.AdmitList);
        Assert.True(options.AdmitLicensed);
        Assert.Equal(30, options.LicenceRefreshSeconds);
        Assert.True(admission.IsAdmitted(b.ToLowerInvariant(), out _));
        Assert.False(admission.IsAdmitted(Naeural.Ledger.Identity.NodeKey.Generate().Address, out var reason));
        Assert.Contains("--admit", reason);
    }

    private static NodeOptions Bind(params string[] args) =>
        NodeOptions.From(new ConfigurationBuilder().AddCommandLine(args, CommandLineFlags.Mappings).Build());

    private static string Refusal(NodeOptions options) => Assert.Throws<ArgumentException>(options.Validate).Message;
}
