using System.CommandLine;
using Naeural.Actors.Client;
using Naeural.Actors.Security;
using Naeural.Ledger;
using Naeural.Ledger.Identity;
using Naeural.Ledger.Signing;

namespace Naeural.Host.Cli;

/// <summary>The options every client verb shares: which node to talk to and which developer key signs.</summary>
public static class ClientConnection
{
    public const string DefaultNode = "akka.tcp://naeural@127.0.0.1:4053";

    public static readonly Option<string> Node = new("--node")
    {
        Description = "The node to talk to",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("NAEURAL_NODE") ?? DefaultNode,
    };

    public static readonly Option<string> Key = new("--key")
    {
        Description = "The developer key file (created on first use, mode 600): its address owns what you deploy",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("NAEURAL_KEY")
                                   ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".naeural", "developer.key"),
    };

    public static readonly Option<string> NetworkId = new("--network-id")
    {
        Description = $"The network the commands are signed for: the nodes' --network-id (default {NetworkIds.Default})",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("NAEURAL_NETWORK_ID") ?? NetworkIds.Default,
    };

    public static readonly Option<string?> TlsCertificate = new("--tls-certificate")
    {
        Description = "For nodes that run TLS (akka.ssl.tcp://…): this client's certificate, a PKCS#12 (PFX) file the nodes trust",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("NAEURAL_TLS_CERTIFICATE"),
    };

    public static readonly Option<string?> TlsPassword = new("--tls-password")
    {
        Description = "The password of --tls-certificate",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("NAEURAL_TLS_PASSWORD"),
    };

    public static readonly Option<string> TlsCa = new("--tls-ca")
    {
        Description = "CA certificate files (PEM or DER), comma-separated: nodes whose certificate chains to one are trusted",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("NAEURAL_TLS_CA") ?? "",
    };

    public static readonly Option<string> TlsPeers = new("--tls-peers")
    {
        Description = "Pinned node certificates, comma-separated SHA-256 fingerprints",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("NAEURAL_TLS_PEERS") ?? "",
    };

    public static void AddTo(Command command)
    {
        command.Options.Add(Node);
        command.Options.Add(Key);
        command.Options.Add(NetworkId);
        command.Options.Add(TlsCertificate);
        command.Options.Add(TlsPassword);
        command.Options.Add(TlsCa);
        command.Options.Add(TlsPeers);
    }

    /// <summary>A client signing with the developer's key, which also opens payloads encrypted to it (<c>ENCRYPT_PAYLOADS</c>).</summary>
    public static NaeuralClient Connect(ParseResult result)
    {
        var developer = DeveloperKey(result);
        var network = result.GetValue(NetworkId)!;
        if (NetworkIds.Problem(network) is { } problem)
        {
            throw new ArgumentException($"--network-id {problem}");
        }

        return NaeuralClient.Connect(result.GetValue(Node)!, developer, new ClientOptions
        {
            Verifier = new Secp256k1Verifier(), Decryptor = developer, LogLevel = "ERROR", NetworkId = network, ExtraMessageTypes = LedgerMessages.Types, Tls = Tls(result),
        });
    }

    /// <summary>The developer's key (created on first use).</summary>
    public static NodeKey DeveloperKey(ParseResult result) => NodeKeyStore.LoadOrCreateFile(result.GetValue(Key)!);

    /// <summary>The folder beside the developer's key where the CLI keeps what it must remember (open channels).</summary>
    public static string StateFolder(ParseResult result) =>
        Path.GetDirectoryName(Path.GetFullPath(result.GetValue(Key)!)) ?? ".";

    private static RemotingTls? Tls(ParseResult result)
    {
        var certificate = result.GetValue(TlsCertificate);
        return string.IsNullOrWhiteSpace(certificate)
            ? null
            : RemotingTls.Load(certificate, result.GetValue(TlsPassword), Split(result.GetValue(TlsCa)), Split(result.GetValue(TlsPeers)));
    }

    private static string[] Split(string? value) =>
        (value ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
