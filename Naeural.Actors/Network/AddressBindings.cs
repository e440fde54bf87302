using System.Security.Cryptography;
using Akka.Actor;
using Naeural.Actors.Security;

namespace Naeural.Actors.Network;

/// <summary>
/// Which node id lives at each member's cluster address, as proven to this reader: it sends the publisher at that address a
/// random nonce (<see cref="ProveAddress"/>), and binds the address to the node whose key signs the nonce with that address
/// (<see cref="AddressProof"/>). A heartbeat counts only when its node is the one bound to the address it carries, so a member
/// can't claim another member's address, and can't have more than one node id: one address, one node, the one that answers
/// there. A binding lasts until the member is removed (a new incarnation proves itself again).
/// </summary>
public sealed class AddressBindings(ISignatureVerifier verifier, string network, TimeSpan retryAfter)
{
    private readonly Dictionary<Address, string> _bound = [];
    private readonly Dictionary<Address, (string Nonce, DateTimeOffset Sent)> _challenges = [];

    /// <summary>The node proven to live at <paramref name="address"/>, if any.</summary>
    public string? NodeAt(Address address) => _bound.GetValueOrDefault(address);

    /// <summary>True when <paramref name="nodeId"/> is the node proven to live at <paramref name="address"/>.</summary>
    public bool IsBound(Address address, string nodeId) =>
        _bound.TryGetValue(address, out var bound) && AccountAddress.Same(bound, nodeId);

    /// <summary>A fresh nonce to send to <paramref name="address"/>, or null when it is bound or a challenge is still out.</summary>
    public string? Challenge(Address address, DateTimeOffset now)
    {
        if (_bound.ContainsKey(address) || (_challenges.TryGetValue(address, out var out_) && now - out_.Sent < retryAfter))
        {
            return null;
        }

        var nonce = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        _challenges[address] = (nonce, now);
        return nonce;
    }

    /// <summary>Binds the proof's address to its node when it answers this reader's outstanding challenge and its signature holds.</summary>
    public bool Accept(AddressProof proof)
    {
        if (proof is null || !NodeIds.IsAddress(proof.NodeId) || proof.Signature is null
            || !Address.TryParse(proof.AkkaAddress, out var address)
            || !_challenges.TryGetValue(address, out var challenge) || challenge.Nonce != proof.Nonce
            || !verifier.Verify(HeartbeatSigning.ProofBytes(proof.Nonce, proof.NodeId, proof.AkkaAddress, network), proof.Signature, proof.NodeId))
        {
            return false;
        }

        _challenges.Remove(address);
        _bound[address] = proof.NodeId;
        return true;
    }

    /// <summary>The member at <paramref name="address"/> was removed: its binding and any challenge go; returns the node bound there.</summary>
    public string? Unbind(Address address)
    {
        _challenges.Remove(address);
        return _bound.Remove(address, out var nodeId) ? nodeId : null;
    }
}
