using Akka.Actor;
using Naeural.Actors.Network;
using Naeural.Actors.Nodes;
using Naeural.Ledger.Identity;
using Naeural.Ledger.Signing;
using Xunit;

namespace Naeural.Actors.Tests.Network;

/// <summary>The pure rules behind the network view: which heartbeats count, and which node an address is bound to.</summary>
public sealed class HeartbeatVerificationTests
{
    private const string Network = HeartbeatSigning.DefaultNetwork;
    private static readonly Address Member = Address.Parse("akka.tcp://naeural@127.0.0.1:4053");
    private readonly Secp256k1Verifier _verifier = new();

    [Fact]
    public void A_heartbeat_signed_by_another_key_than_its_node_id_is_ignored_and_the_genuine_one_stays()
    {
        var victim = NodeKey.Generate();
        var attacker = NodeKey.Generate();
        var book = new HeartbeatBook(_verifier, Network);
        var genuine = Heartbeat(victim, DateTimeOffset.UtcNow);

        book.Read([new(victim.Address, genuine)]);
        var forged = HeartbeatSigning.Sign(genuine.Resources with { Gpu = new GpuInfo("forged", 80_000), UpdatedAt = DateTimeOffset.UtcNow.AddSeconds(1) },
            attacker, Network);
        var changed = book.Read([new(victim.Address, forged)]);

        Assert.False(changed);
        Assert.Null(book.Accepted[victim.Address.ToLowerInvariant()].Gpu);
    }

    [Theory]
    [InlineData(" {0}")]
    [InlineData("{0}\t")]
    [InlineData("BARE")]
    public void A_node_id_spelled_otherwise_than_its_key_is_ignored_so_a_node_cannot_pick_its_place_in_rankings(string spelling)
    {
        // Placement and replica sets rank nodes by the text of their id: re-spelled ids would be re-rolled rankings.
        var node = NodeKey.Generate();
        var id = spelling == "BARE" ? node.Address[2..] : string.Format(spelling, node.Address);
        var respelled = HeartbeatSigning.Sign(Heartbeat(node, DateTimeOffset.UtcNow).Resources with { NodeId = id }, node, Network);
        var book = new HeartbeatBook(_verifier, Network);

        Assert.False(book.Verifies(node.Address, respelled));
        Assert.False(book.Read([new(node.Address, respelled)]));
        Assert.Empty(book.Accepted);
    }

    [Fact]
    public void Junk_keys_unsigned_entries_and_other_networks_heartbeats_are_dropped_without_throwing()
    {
        var node = NodeKey.Generate();
        var book = new HeartbeatBook(_verifier, Network);
        var resources = Heartbeat(node, DateTimeOffset.UtcNow).Resources;

        book.Read(
        [
            new("not-an-address", new SignedHeartbeat(resources with { NodeId = "not-an-address" }, "0x00")),
            new("0x" + new string('z', 40), HeartbeatSigning.Sign(resources, node, Network)),
            new(NodeKey.Generate().Address, null!),
            new(node.Address, new SignedHeartbeat(resources, null!)),
            new(node.Address.ToLowerInvariant() + "00", HeartbeatSigning.Sign(resources, node, Network)),
        ]);
        book.Read([new(node.Address, HeartbeatSigning.Sign(resources, node, "another-network"))]);

        Assert.Empty(book.Accepted);
    }

    [Fact]
    public void Reading_an_unchanged_map_again_verifies_nothing_and_an_older_heartbeat_replayed_is_ignored()
    {
        var nodes = Enumerable.Range(0, 20).Select(_ => NodeKey.Generate()).ToArray();
        var book = new HeartbeatBook(_verifier, Network);
        var now = DateTimeOffset.UtcNow;
        var first = nodes.Select(n => KeyValuePair.Create(n.Address, Heartbeat(n, now))).ToList();
        book.Read(first);
        Assert.Equal(20, book.Verifications);

        book.Read(first);
        book.Read(first.Select(e => KeyValuePair.Create(e.Key, e.Value with { })).ToList()); // copies, as after a merge
        Assert.Equal(20, book.Verifications);

        var newer = Heartbeat(nodes[0], now.AddSeconds(2));
        book.Read([new(nodes[0].Address, newer)]);
        book.Read([new(nodes[0].Address, first[0].Value)]); // the older one, replayed
        Assert.Equal(21, book.Verifications);
        Assert.Equal(newer.Resources.UpdatedAt, book.Accepted[nodes[0].Address.ToLowerInvariant()].UpdatedAt);
    }

    [Fact]
    public void An_address_is_bound_only_to_the_node_that_signs_this_readers_nonce_there_one_node_per_address()
    {
        var honest = NodeKey.Generate();
        var attacker = NodeKey.Generate();
        var bindings = new AddressBindings(_verifier, Network, TimeSpan.FromSeconds(2));
        var now = DateTimeOffset.UtcNow;
        var nonce = bindings.Challenge(Member, now)!;

        Assert.Null(bindings.Challenge(Member, now)); // one challenge out at a time
        Assert.False(bindings.Accept(Proof(attacker, new string('a', 32), Member))); // a nonce it guessed
        Assert.False(bindings.Accept(Proof(attacker, nonce, Member) with { NodeId = honest.Address })); // signed by another key
        Assert.True(bindings.Accept(Proof(honest, nonce, Member)));
        Assert.False(bindings.Accept(Proof(attacker, nonce, Member))); // the challenge is spent
        Assert.True(bindings.IsBound(Member, honest.Address));
        Assert.False(bindings.IsBound(Member, attacker.Address));
        Assert.Null(bindings.Challenge(Member, now.AddMinutes(1))); // bound: not asked again

        Assert.Equal(honest.Address, bindings.Unbind(Member));
        Assert.NotNull(bindings.Challenge(Member, now)); // a new incarnation proves itself again
    }

    private static SignedHeartbeat Heartbeat(NodeKey node, DateTimeOffset at) => HeartbeatSigning.Sign(
        new NodeResources(node.Address, Member.ToString(), "n", 4, 8_000, 4_000, 0.5, null, [], [], [], [], 1, 1, at), node, Network);

    private static AddressProof Proof(NodeKey signer, string nonce, Address address) =>
        new(nonce, signer.Address, address.ToString(),
            signer.Sign(HeartbeatSigning.ProofBytes(nonce, signer.Address, address.ToString(), Network)).Signature);
}
