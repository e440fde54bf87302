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
/// by <see cref="Admission"/> (a node's TLS), or any valid binding is enough (<see cref="AcceptBoundNodes"/>: a client, which
/// checks the node's signatures on what it sends anyway); CA and pins never admit a node. A peer without a binding (a remote
/// client) is trusted when its certificate chains to one of <see cref="TrustedAuthorities"/> (a private CA; the system's store
/// is not consulted) or is one of <see cref="PinnedPeers"/> (by SHA-256 fingerprint or SHA-1 thumbprint). Both ends present
/// and check a certificate (mutual TLS), so only admitted nodes and trusted clients reach the port at all. Host names are not
/// checked: nodes are known by their keys, not by the address they are reached at.
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

    /// <summary>Which node addresses a peer with a node-key binding may prove (a node's TLS); null: see <see cref="AcceptBoundNodes"/>.</summary>
    public PeerAdmission? Admission { get; init; }

    /// <summary>Without <see cref="Admission"/>: whether a peer with a valid node-key binding is trusted whatever its address (a client's TLS).</summary>
    public bool AcceptBoundNodes { get; init; }

    /// <summary>Recovers the node key from a binding's signature (needed with <see cref="Admission"/> or <see cref="AcceptBoundNodes"/>).</summary>
    public ISignatureVerifier? BindingVerifier { get; init; }

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
    /// Loads a certificate (PKCS#12 / PFX with its private key) and the trust: CA certificate files (PEM, any number per file,
    /// or DER) and pinned fingerprints.
    /// </summary>
    /// <exception cref="ArgumentException">A file is missing or unreadable, the certificate has no private key, or nothing is trusted.</exception>
    /// <param name="verifier">Given: node certificates with a valid node-key binding are trusted too (<see cref="AcceptBoundNodes"/>, a client's TLS).</param>
    public static RemotingTls Load(string certificatePath, string? password, IEnumerable<string> authorityPaths, IEnumerable<string> pinnedPeers,
        bool requireMutualAuthentication = true, ISignatureVerifier? verifier = null)
    {
        X509Certificate2 certificate;
        try
        {
            certificate = X509CertificateLoader.LoadPkcs12FromFile(certificatePath, password);
        }
        catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException)
        {
            throw new ArgumentException($"TLS certificate {certificatePath} can't be read as PKCS#12 (PFX) with the given password: {e.Message}", e);
        }

        if (!certificate.HasPrivateKey)
        {
            throw new ArgumentException($"TLS certificate {certificatePath} has no private key");
        }

        var authorities = new List<X509Certificate2>();
        foreach (var path in authorityPaths)
        {
            authorities.AddRange(LoadAuthorities(path));
        }

        var pins = pinnedPeers.Select(Normalize).Where(p => p.Length > 0).ToList();
        foreach (var pin in pins.Where(p => p.Length is not (40 or 64) || !p.All(Uri.IsHexDigit)))
        {
            throw new ArgumentException($"TLS peer fingerprint '{pin}' is not 40 (SHA-1) or 64 (SHA-256) hex digits");
        }

        if (authorities.Count == 0 && pins.Count == 0 && verifier is null)
        {
            throw new ArgumentException("TLS needs whom to trust: a CA certificate (--tls-ca) or pinned peer fingerprints (--tls-peers)");
        }

        return new RemotingTls(certificate)
        {
            TrustedAuthorities = authorities,
            PinnedPeers = pins,
            RequireMutualAuthentication = requireMutualAuthentication,
            AcceptBoundNodes = verifier is not null,
            BindingVerifier = verifier,
        };
    }

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

        if ((Admission is not null || AcceptBoundNodes) && BindingVerifier is not null && certificate.Extensions[NodeCertificate.ExtensionOid] is not null)
        {
            return IsAdmittedNode(certificate, out reason);
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

        if (Admission is null)
        {
            reason = "";
            return true;
        }

        return Admission.IsAdmitted(address, out reason);
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
