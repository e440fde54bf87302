using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Akka.Actor.Setup;
using Akka.Configuration;
using Akka.Event;
using Akka.Remote.Transport.DotNetty;

namespace Naeural.Actors.Security;

/// <summary>
/// TLS for Akka remoting (the DotNetty transport's <c>enable-ssl</c>), for nodes and for clients that connect over
/// remoting: this party's certificate (with its private key) and whom it trusts. A peer whose certificate carries a node-key
/// binding (<see cref="NodeCertificate"/>) is a node: the binding must verify, and the node address it proves must be admitted
/// by <see cref="Admission"/> (a node's TLS, <see cref="ForNode"/>) or be one of <see cref="ExpectedNodes"/> (a client's TLS,
/// <see cref="ForClient"/>: the node ids its user named); CA and pins never admit a node. A peer without a binding (a remote
/// client, seen by a node) is trusted when its certificate chains to one of <see cref="TrustedAuthorities"/> (a private CA;
/// the system's store is not consulted) or is one of <see cref="PinnedPeers"/> (by SHA-256 fingerprint or SHA-1 thumbprint);
/// a client trusts no certificate without a binding. Both ends present and check a certificate (mutual TLS), so only admitted
/// nodes and trusted clients reach a node's ports at all (a node's member port takes no client CA or pin: <c>MembersOnly</c> in the Host). Host names are not checked: nodes are known by their keys, not by
/// the address they are reached at.
/// </summary>
public sealed record RemotingTls
{
    /// <summary>The address scheme of a TLS system (<c>akka.ssl.tcp://naeural@host:port</c>).</summary>
    public const string Scheme = "akka.ssl.tcp";

    public RemotingTls(X509Certificate2 certificate) => Certificate = certificate;

    /// <summary>This party's certificate, with its private key.</summary>
    public X509Certificate2 Certificate { get; init; }

    /// <summary>Certificates of the authorities whose certificates this party trusts.</summary>
    public IReadOnlyList<X509Certificate2> TrustedAuthorities { get; init; } = [];

    /// <summary>Fingerprints of peer certificates trusted as they are: SHA-256 (64 hex digits) or SHA-1 (40); colons ignored.</summary>
    public IReadOnlyList<string> PinnedPeers { get; init; } = [];

    /// <summary>Both ends present a certificate and check the other's (mutual TLS); off: only servers are authenticated.</summary>
    public bool RequireMutualAuthentication { get; init; } = true;

    /// <summary>Which node addresses a peer with a node-key binding may prove (a node's TLS); null: <see cref="ExpectedNodes"/>.</summary>
    public PeerAdmission? Admission { get; init; }

    /// <summary>Without <see cref="Admission"/>: the node addresses a peer's binding must prove (a client's TLS: <c>--node-id</c>).</summary>
    public IReadOnlySet<string> ExpectedNodes { get; init; } = new HashSet<string>();

    /// <summary>Recovers the node key from a binding's signature.</summary>
    public ISignatureVerifier? BindingVerifier { get; init; }

    /// <summary>Told why, each time a peer's certificate is refused (a client reports it instead of waiting for an answer that can't come).</summary>
    public Action<string>? OnRefused { get; init; }

    /// <summary>What a node's TLS is: its bound certificate, peers admitted by <paramref name="admission"/>, clients by CA or pins.</summary>
    public static RemotingTls ForNode(X509Certificate2 boundCertificate, PeerAdmission admission, ISignatureVerifier verifier,
        IReadOnlyList<X509Certificate2> clientAuthorities, IReadOnlyList<string> clientPins) => new(boundCertificate)
    {
        Admission = admission,
        BindingVerifier = verifier,
        TrustedAuthorities = clientAuthorities,
        PinnedPeers = [.. clientPins.Select(Normalize).Where(p => p.Length > 0)],
    };

    /// <summary>
    /// What a client's TLS is: its certificate (one the nodes trust: <c>--tls-ca</c> or <c>--tls-peers</c> on the node), and
    /// the nodes it trusts: only certificates whose node-key binding proves one of <paramref name="nodeIds"/>: the node whose
    /// client edge it talks to (other members answer through that edge).
    /// </summary>
    /// <exception cref="ArgumentException">No node id, or one that is not a 0x address.</exception>
    public static RemotingTls ForClient(X509Certificate2 certificate, IEnumerable<string> nodeIds, ISignatureVerifier verifier)
    {
        var expected = nodeIds.Select(id => id.Trim()).Where(id => id.Length > 0).ToHashSet(AccountAddress.Comparer);
        if (expected.Count == 0)
        {
            throw new ArgumentException("TLS to a node needs the node's id (--node-id 0x…, the address its banner prints): its certificate is trusted only if bound to that key");
        }

        foreach (var id in expected.Where(id => !AccountAddress.IsValid(id)))
        {
            throw new ArgumentException($"--node-id '{id}' is not a node id (0x and 40 hex digits)");
        }

        return new RemotingTls(certificate) { ExpectedNodes = expected, BindingVerifier = verifier };
    }

    /// <summary>
    /// A certificate with its private key from a file: PKCS#12 (PFX), or PEM holding the certificate and its private key
    /// (encrypted when <paramref name="password"/> is given).
    /// </summary>
    /// <exception cref="ArgumentException">The file is missing or unreadable, or the certificate has no private key.</exception>
    public static X509Certificate2 LoadCertificate(string path, string? password)
    {
        X509Certificate2 certificate;
        try
        {
            certificate = File.ReadAllText(path).Contains("-----BEGIN", StringComparison.Ordinal) ? LoadPem(path, password)
                : X509CertificateLoader.LoadPkcs12FromFile(path, password);
        }
        catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException)
        {
            throw new ArgumentException($"TLS certificate {path} can't be read as PKCS#12 (PFX) or PEM (certificate and private key) with the given password: {e.Message}", e);
        }

        if (!certificate.HasPrivateKey)
        {
            throw new ArgumentException($"TLS certificate {path} has no private key");
        }

        return certificate;
    }

    /// <summary>True for a pinned fingerprint as <see cref="PinnedPeers"/> takes it: 40 (SHA-1) or 64 (SHA-256) hex digits, colons ignored.</summary>
    public static bool IsFingerprint(string pin) => Normalize(pin) is { Length: 40 or 64 } p && p.All(Uri.IsHexDigit);

    /// <summary>The CA certificates in the files (PEM, any number per file, or DER).</summary>
    /// <exception cref="ArgumentException">A file is missing or unreadable.</exception>
    public static IReadOnlyList<X509Certificate2> LoadAuthorityFiles(IEnumerable<string> paths) => [.. paths.SelectMany(LoadAuthorities)];

    /// <summary>The SHA-256 fingerprint of a certificate, as <see cref="PinnedPeers"/> takes it.</summary>
    public static string Fingerprint(X509Certificate2 certificate) => certificate.GetCertHashString(HashAlgorithmName.SHA256);

    /// <summary>The HOCON that turns TLS on (the certificate and validation come with <see cref="Setup"/>).</summary>
    public static Config Hocon { get; } = ConfigurationFactory.ParseString("akka.remote.dot-netty.tcp.enable-ssl = true");

    /// <summary>The transport's TLS setup: this certificate, mutual authentication as configured, peers checked by <see cref="IsTrusted"/>.</summary>
    public Setup Setup() => new DotNettySslSetup(Certificate, suppressValidation: false, RequireMutualAuthentication,
        validateCertificateHostname: false, Validator());

    /// <summary>The transport's validation callback: <see cref="IsTrusted"/>, logging why a peer was refused.</summary>
    public CertificateValidationCallback Validator() => (certificate, chain, peer, _, log) =>
    {
        if (IsTrusted(certificate, chain, out var reason))
        {
            return true;
        }

        log.Warning("TLS: refused the certificate of {Peer}: {Reason}", peer, reason);
        OnRefused?.Invoke(reason);
        return false;
    };

    /// <summary>
    /// True when <paramref name="certificate"/> is a node's whose binding proves an admitted address (or any, for a client), or,
    /// without a binding, is pinned or chains to a trusted authority; else why not.
    /// </summary>
    public bool IsTrusted(X509Certificate2? certificate, X509Chain? presented, out string reason)
    {
        if (certificate is null)
        {
            reason = "no certificate presented";
            return false;
        }

        if (BindingVerifier is not null && certificate.Extensions[NodeCertificate.ExtensionOid] is not null)
        {
            return IsAdmittedNode(certificate, out reason);
        }

        if (Admission is null)
        {
            reason = $"{certificate.Subject} carries no node-key binding: a node's certificate is trusted only through its binding";
            return false;
        }

        var sha256 = Fingerprint(certificate);
        if (PinnedPeers.Any(p => p.Equals(sha256, StringComparison.OrdinalIgnoreCase) || p.Equals(certificate.Thumbprint, StringComparison.OrdinalIgnoreCase)))
        {
            reason = "";
            return true;
        }

        if (TrustedAuthorities.Count == 0)
        {
            reason = Admission is not null && PinnedPeers.Count == 0
                ? $"{certificate.Subject} (SHA-256 {sha256}) carries no node-key binding, and no client certificates are trusted here (--tls-ca, --tls-peers)"
                : $"{certificate.Subject} (SHA-256 {sha256}) is not pinned";
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        // A peer's certificate must not make this node fetch anything (its AIA URLs are the peer's to choose).
        chain.ChainPolicy.DisableCertificateDownloads = true;
        chain.ChainPolicy.UrlRetrievalTimeout = TimeSpan.FromSeconds(1);
        chain.ChainPolicy.CustomTrustStore.AddRange(TrustedAuthorities.ToArray());
        if (presented is not null)
        {
            // Intermediates the peer sent; never roots: those come only from TrustedAuthorities.
            foreach (var element in presented.ChainElements)
            {
                if (!element.Certificate.Equals(certificate))
                {
                    chain.ChainPolicy.ExtraStore.Add(element.Certificate);
                }
            }
        }

        if (chain.Build(certificate))
        {
            reason = "";
            return true;
        }

        reason = $"{certificate.Subject} (SHA-256 {sha256}) does not chain to a trusted authority: "
                 + string.Join(", ", chain.ChainStatus.Select(s => s.Status.ToString()));
        return false;
    }

    private bool IsAdmittedNode(X509Certificate2 certificate, out string reason)
    {
        var now = DateTime.UtcNow;
        if (now < certificate.NotBefore.ToUniversalTime() || now > certificate.NotAfter.ToUniversalTime())
        {
            reason = $"{certificate.Subject} is not valid now (from {certificate.NotBefore:O} to {certificate.NotAfter:O})";
            return false;
        }

        if (!NodeCertificate.TryReadBinding(certificate, BindingVerifier!, out var address, out var why))
        {
            reason = $"{certificate.Subject}: {why}";
            return false;
        }

        if (Admission is not null)
        {
            return Admission.IsAdmitted(address, out reason);
        }

        if (ExpectedNodes.Contains(address))
        {
            reason = "";
            return true;
        }

        reason = $"it proves node {address}, not the one named by --node-id {string.Join(",", ExpectedNodes)}";
        return false;
    }

    private static X509Certificate2 LoadPem(string path, string? password)
    {
        using var pem = string.IsNullOrEmpty(password) ? X509Certificate2.CreateFromPemFile(path) : X509Certificate2.CreateFromEncryptedPemFile(path, password);
        // Through PKCS#12 and back: a key imported from PEM is ephemeral, which SslStream can't use on every platform.
        return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null, X509KeyStorageFlags.Exportable);
    }

    private static IEnumerable<X509Certificate2> LoadAuthorities(string path)
    {
        try
        {
            if (File.ReadAllText(path).Contains("-----BEGIN CERTIFICATE-----", StringComparison.Ordinal))
            {
                var collection = new X509Certificate2Collection();
                collection.ImportFromPemFile(path);
                return [.. collection];
            }

            return [X509CertificateLoader.LoadCertificateFromFile(path)];
        }
        catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException)
        {
            throw new ArgumentException($"TLS CA certificate {path} can't be read (PEM or DER): {e.Message}", e);
        }
    }

    private static string Normalize(string fingerprint) => fingerprint.Replace(":", "", StringComparison.Ordinal).Trim().ToUpperInvariant();
}
