using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Naeural.Testing;

/// <summary>
/// A throwaway PKI for TLS tests, made with <see cref="CertificateRequest"/>: a test CA, certificates it signs (PFX files
/// with their keys), and strangers' self-signed ones, all in a temporary folder deleted on dispose.
/// </summary>
public sealed class TestCertificates : IDisposable
{
    public const string Password = "test-password";

    private readonly TempDirectory _folder = new("naeural-pki");
    private readonly X509Certificate2 _ca;

    public TestCertificates()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=Naeural Test CA", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        _ca = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        CaPath = _folder.Sub("ca.crt");
        File.WriteAllText(CaPath, _ca.ExportCertificatePem());
    }

    /// <summary>The CA certificate (PEM, no key): what nodes trust.</summary>
    public string CaPath { get; }

    /// <summary>A certificate for <paramref name="name"/> signed by the test CA, as a PFX file (password <see cref="Password"/>).</summary>
    public string Issue(string name) => Save(name, Create(name, _ca));

    /// <summary>A self-signed certificate the CA never saw, as a PFX file.</summary>
    public string Stranger(string name) => Save(name, Create(name, issuer: null));

    /// <summary>The certificate in a PFX file made here.</summary>
    public static X509Certificate2 Load(string pfxPath) => X509CertificateLoader.LoadPkcs12FromFile(pfxPath, Password);

    public void Dispose()
    {
        _ca.Dispose();
        _folder.Dispose();
    }

    private X509Certificate2 Create(string name, X509Certificate2? issuer)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [new Oid("1.3.6.1.5.5.7.3.1"), new Oid("1.3.6.1.5.5.7.3.2")], false)); // server and client authentication
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(System.Net.IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        var notBefore = DateTimeOffset.UtcNow.AddDays(-1);
        var notAfter = DateTimeOffset.UtcNow.AddDays(7);
        if (issuer is null)
        {
            return request.CreateSelfSigned(notBefore, notAfter);
        }

        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F; // positive
        using var signed = request.Create(issuer, notBefore, notAfter, serial);
        return signed.CopyWithPrivateKey(key);
    }

    private string Save(string name, X509Certificate2 certificate)
    {
        using (certificate)
        {
            var path = _folder.Sub($"{name}-{Guid.NewGuid():N}.pfx");
            File.WriteAllBytes(path, certificate.Export(X509ContentType.Pfx, Password));
            return path;
        }
    }
}
