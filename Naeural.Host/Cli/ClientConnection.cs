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
    public const string DefaultNode = "akka.tcp://naeural-edge@127.0.0.1:4054";

    public static readonly Option<string> Node = new("--node")
    {
        Description = "The node's client edge to talk to (its banner's Clients: line; the node's --client-port)",
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

    public static readonly Option<string> NodeId = new("--node-id")
    {
        Description = "For a TLS node (akka.ssl.tcp://…): its node id, the 0x address its banner prints; a node's certificate is trusted only if "
                      + "bound to a key named here (the client talks to that node's edge only; other members are reached through it)",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("NAEURAL_NODE_ID") ?? "",
    };

    public static readonly Option<string?> TlsCertificate = new("--tls-certificate")
    {
        Description = "For a TLS node: this client's certificate with its private key, PKCS#12 (PFX) or PEM, one the nodes trust (their --tls-ca or --tls-peers)",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("NAEURAL_TLS_CERTIFICATE"),
    };

    public static readonly Option<string?> TlsPassword = new("--tls-password")
    {
        Description = "The password of --tls-certificate",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("NAEURAL_TLS_PASSWORD"),
    };

    public static void AddTo(Command command)
    {
        command.Options.Add(Node);
        command.Options.Add(Key);
        command.Options.Add(NetworkId);
        command.Options.Add(NodeId);
        command.Options.Add(TlsCertificate);
        command.Options.Add(TlsPassword);
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
            Verifier = new Secp256k1Verifier(), Decryptor = developer, LogLevel = "ERROR", NetworkId = network, ExtraMessageTypes = LedgerMessages.Client, Tls = Tls(result),
        });
    }

    /// <summary>The developer's key (created on first use).</summary>
    public static NodeKey DeveloperKey(ParseResult result) => NodeKeyStore.LoadOrCreateFile(result.GetValue(Key)!);

    /// <summary>The folder beside the developer's key where the CLI keeps what it must remember (open channels).</summary>
    public static string StateFolder(ParseResult result) =>
        Path.GetDirectoryName(Path.GetFullPath(result.GetValue(Key)!)) ?? ".";

    /// <summary>
    /// The client's TLS for a TLS node (<c>akka.ssl.tcp</c>): its certificate, and trust in the nodes named by <c>--node-id</c>
    /// only; each refusal is reported to the verb's <see cref="CliRun"/>. Null for a plain node, which takes neither option.
    /// </summary>
    /// <exception cref="ArgumentException">A TLS node without <c>--tls-certificate</c> or <c>--node-id</c>, or a plain one with them.</exception>
    public static RemotingTls? Tls(ParseResult result)
    {
        var node = result.GetValue(Node)!;
        var certificate = result.GetValue(TlsCertificate);
        var nodeIds = Split(result.GetValue(NodeId));
        if (!node.StartsWith(RemotingTls.Scheme + "://", StringComparison.Ordinal))
        {
            return string.IsNullOrWhiteSpace(certificate) && nodeIds.Length == 0
                ? null
                : throw new ArgumentException($"--tls-certificate and --node-id are for a TLS node ({RemotingTls.Scheme}://…), but --node is {node}");
        }

        if (string.IsNullOrWhiteSpace(certificate))
        {
            throw new ArgumentException($"--node {node} runs TLS: give --tls-certificate, a certificate the node trusts (its --tls-ca or --tls-peers)");
        }

        return RemotingTls.ForClient(RemotingTls.LoadCertificate(certificate, result.GetValue(TlsPassword)), nodeIds, new Secp256k1Verifier()) with
        {
            OnRefused = CliRun.TlsRefused,
        };
    }

    private static string[] Split(string? value) =>
        (value ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
