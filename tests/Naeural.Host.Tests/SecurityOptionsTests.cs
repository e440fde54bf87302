using Microsoft.Extensions.Configuration;
using Naeural.Host.Hosting;
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
            "--tls-peers", "AB:CD", "--tls-mutual", "false");

        Assert.True(options.Secured);
        Assert.Equal(("node.pfx", "secret", "ca.crt, other-ca.crt", "AB:CD", false),
            (options.TlsCertificate, options.TlsPassword, options.TlsCa, options.TlsPeers, options.TlsMutual));
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
        Assert.Null(options.LoadTls());
    }

    [Fact]
    public void Tls_settings_that_cannot_work_are_refused_naming_the_flag()
    {
        using var pki = new TestCertificates();
        var certificate = pki.Issue("node");

        Assert.Contains("--tls-certificate", Refusal(new NodeOptions { TlsCertificate = "/no/such.pfx", TlsCa = pki.CaPath }));
        Assert.Contains("--tls-ca", Refusal(new NodeOptions { TlsCertificate = certificate }));
        Assert.Contains("--tls-ca", Refusal(new NodeOptions { TlsCertificate = certificate, TlsCa = "/no/such.crt" }));
        Assert.Contains("akka.ssl.tcp", Refusal(new NodeOptions { TlsCertificate = certificate, TlsCa = pki.CaPath, Seeds = "akka.tcp://naeural@127.0.0.1:4053" }));

        var valid = new NodeOptions
        {
            TlsCertificate = certificate, TlsPassword = TestCertificates.Password, TlsCa = pki.CaPath, Seeds = "akka.ssl.tcp://naeural@127.0.0.1:4053",
        };
        valid.Validate();
        var tls = valid.LoadTls()!;
        Assert.True(tls.Certificate.HasPrivateKey && tls.RequireMutualAuthentication);
        Assert.Single(tls.TrustedAuthorities);
        Assert.Contains("PKCS#12", Assert.Throws<ArgumentException>(() => new NodeOptions { TlsCertificate = certificate, TlsPassword = "wrong", TlsCa = pki.CaPath }.LoadTls()).Message);
    }

    private static NodeOptions Bind(params string[] args) =>
        new ConfigurationBuilder().AddCommandLine(args, CommandLineFlags.Mappings).Build()
            .GetSection(NodeOptions.Section).Get<NodeOptions>() ?? new NodeOptions();

    private static string Refusal(NodeOptions options) => Assert.Throws<ArgumentException>(options.Validate).Message;
}
