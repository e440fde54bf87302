using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Naeural.Actors.Security;

/// <summary>
/// A node's TLS certificate bound to its secp256k1 node key: a self-signed ECDSA P-256 certificate carrying an extension in
/// which the node key signs (<see cref="Domain"/>, <see cref="Version"/>, the SHA-256 of the certificate's public key). The TLS
/// handshake proves the peer holds the certificate's private key; the binding proves the node key vouched for that certificate
/// key; so the address recovered from the binding is the peer's node address, and admission is decided on it. A certificate
/// copied from another node is useless without its private key; a binding copied onto another certificate does not match its key.
/// </summary>
public static class NodeCertificate
{
    /// <summary>The extension's OID (a private arc of this project; the extension is non-critical, so other tools ignore it).</summary>
    public const string ExtensionOid = "1.3.6.1.4.1.99999.4053.1";

    /// <summary>What the node key signs for, so a binding signature can't be taken for any other signed message.</summary>
    public const string Domain = "naeural-node-tls";

    /// <summary>The binding's format version.</summary>
    public const int Version = 1;

    /// <summary>The file in a node's data folder that keeps its bound certificate (PKCS#12, with its private key, no password).</summary>
    public const string FileName = "node-tls.pfx";

    private static readonly TimeSpan Lifetime = TimeSpan.FromDays(365);
    private static readonly TimeSpan RenewBefore = TimeSpan.FromDays(30);

    /// <summary>A fresh certificate bound to <paramref name="nodeKey"/> (with its private key, usable by TLS on every platform).</summary>
    public static X509Certificate2 Create(IMessageSigner nodeKey, DateTimeOffset now) => Create(nodeKey, nodeKey, now);

    /// <summary>
    /// A certificate whose binding is signed by <paramref name="signer"/> but which claims <paramref name="claimed"/> in its name:
    /// only tests make this (a certificate bound to key A presented by a node claiming key B).
    /// </summary>
    public static X509Certificate2 Create(IMessageSigner signer, IMessageSigner claimed, DateTimeOffset now)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN=naeural node {claimed.Address}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [new Oid("1.3.6.1.5.5.7.3.1"), new Oid("1.3.6.1.5.5.7.3.2")], false)); // server and client authentication
        var signature = signer.Sign(BindingMessage(PublicKeyHash(request.PublicKey)));
        var binding = new JsonObject { ["v"] = Version, ["domain"] = Domain, ["address"] = claimed.Address, ["signature"] = signature.Signature };
        request.CertificateExtensions.Add(new X509Extension(ExtensionOid, Encoding.UTF8.GetBytes(binding.ToJsonString()), critical: false));
        using var created = request.CreateSelfSigned(now.AddMinutes(-5), now + Lifetime);
        // Through PKCS#12 and back: an ephemeral key from CreateSelfSigned is not usable by SslStream on every platform.
        return X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pkcs12), null, X509KeyStorageFlags.Exportable);
    }

    /// <summary>
    /// The node's bound certificate from <paramref name="dataDirectory"/>: the kept one while it is bound to this key and not
    /// within 30 days of expiring, else a new one (written with owner-only permissions where the platform has them).
    /// </summary>
    public static X509Certificate2 LoadOrCreate(string dataDirectory, IMessageSigner nodeKey, ISignatureVerifier verifier, DateTimeOffset now)
    {
        var path = Path.Combine(dataDirectory, FileName);
        if (File.Exists(path))
        {
            try
            {
                var kept = X509CertificateLoader.LoadPkcs12FromFile(path, null, X509KeyStorageFlags.Exportable);
                if (kept.HasPrivateKey && kept.NotAfter.ToUniversalTime() > (now + RenewBefore).UtcDateTime
                    && TryReadBinding(kept, verifier, out var address, out _) && AccountAddress.Same(address, nodeKey.Address))
                {
                    return kept;
                }

                kept.Dispose();
            }
            catch (CryptographicException)
            {
                // Unreadable: replaced below.
            }
        }

        var certificate = Create(nodeKey, now);
        Directory.CreateDirectory(dataDirectory);
        File.WriteAllBytes(path, certificate.Export(X509ContentType.Pkcs12));
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        return certificate;
    }

    /// <summary>
    /// The node address a certificate is bound to: its extension must be present and well formed, and its signature must
    /// recover to the address it names over this certificate's own public key. Else false, with why.
    /// </summary>
    public static bool TryReadBinding(X509Certificate2 certificate, ISignatureVerifier verifier, out string address, out string reason)
    {
        address = "";
        var extension = certificate.Extensions[ExtensionOid];
        if (extension is null)
        {
            reason = "carries no node-key binding";
            return false;
        }

        JsonObject? binding;
        try
        {
            binding = JsonNode.Parse(extension.RawData, documentOptions: new JsonDocumentOptions { MaxDepth = 2 }) as JsonObject;
        }
        catch (JsonException)
        {
            binding = null;
        }

        if (binding?["v"] is not JsonValue v || !v.TryGetValue<int>(out var version) || version != Version
            || binding["domain"] is not JsonValue d || !d.TryGetValue<string>(out var domain) || domain != Domain
            || binding["address"] is not JsonValue a || !a.TryGetValue<string>(out var claimed)
            || binding["signature"] is not JsonValue s || !s.TryGetValue<string>(out var signature))
        {
            reason = $"its node-key binding is not a version {Version} {Domain} binding";
            return false;
        }

        var signer = verifier.RecoverSigner(BindingMessage(PublicKeyHash(certificate.PublicKey)), signature);
        if (signer is null || !AccountAddress.Same(signer, claimed))
        {
            reason = $"its node-key binding claims {claimed} but was signed by {signer ?? "no valid key"} (or for another certificate key)";
            return false;
        }

        address = signer;
        reason = "";
        return true;
    }

    /// <summary>What the node key signs: the domain, the version and the hex SHA-256 of the certificate's SubjectPublicKeyInfo.</summary>
    private static byte[] BindingMessage(string publicKeyHash) => Encoding.UTF8.GetBytes($"{Domain}|{Version}|{publicKeyHash}");

    private static string PublicKeyHash(PublicKey publicKey) => Convert.ToHexStringLower(SHA256.HashData(publicKey.ExportSubjectPublicKeyInfo()));
}
