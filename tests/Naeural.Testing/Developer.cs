using Naeural.Actors.Client;
using Naeural.Ledger.Identity;
using Naeural.Ledger.Signing;

namespace Naeural.Testing;

/// <summary>A developer with their own key, and clients that sign with it and verify payload signatures.</summary>
public sealed class Developer
{
    public NodeKey Key { get; } = NodeKey.Generate();

    public string Address => Key.Address;

    public static ClientOptions Options { get; } = new() { Verifier = new Secp256k1Verifier() };

    public NaeuralClient ClientFor(InProcessNode node) => NaeuralClient.ForNode(node.System, Key, Options);

    public NaeuralClient Connect(string nodeAddress) => NaeuralClient.Connect(nodeAddress, Key, Options);
}
