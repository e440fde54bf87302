using System.CommandLine;
using Naeural.Actors.Client;
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

    public static void AddTo(Command command)
    {
        command.Options.Add(Node);
        command.Options.Add(Key);
    }

    public static NaeuralClient Connect(ParseResult result) =>
        NaeuralClient.Connect(result.GetValue(Node)!, DeveloperKey(result),
            new ClientOptions { Verifier = new Secp256k1Verifier(), LogLevel = "ERROR", ExtraMessageTypes = LedgerMessages.Types });

    /// <summary>The developer's key (created on first use).</summary>
    public static NodeKey DeveloperKey(ParseResult result) => NodeKeyStore.LoadOrCreateFile(result.GetValue(Key)!);

    /// <summary>The folder beside the developer's key where the CLI keeps what it must remember (open channels).</summary>
    public static string StateFolder(ParseResult result) =>
        Path.GetDirectoryName(Path.GetFullPath(result.GetValue(Key)!)) ?? ".";
}
