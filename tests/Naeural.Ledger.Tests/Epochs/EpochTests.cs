using System.Collections.Immutable;
using System.Numerics;
using CsCheck;
using Naeural.Actors.Security;
using Naeural.Ledger.Epochs;
using Naeural.Ledger.Identity;
using Naeural.Ledger.Signing;
using Xunit;

namespace Naeural.Ledger.Tests.Epochs;

public sealed class EpochTests
{
    private static readonly EpochClock Clock = new(DateTimeOffset.UnixEpoch, TimeSpan.FromSeconds(8));
    private static readonly TimeSpan Heartbeat = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan MaxGap = Heartbeat * 4;
    private static readonly int Beats = (int)(Clock.Length / Heartbeat);
    private static readonly string Node = NodeKey.Generate().Address.ToLowerInvariant();
    private readonly Secp256k1Verifier _verifier = new();

    [Fact]
    public void Availability_is_the_covered_share_of_the_epoch_scaled_to_255()
    {
        var seen = new HeartbeatCoverage(Clock, MaxGap);
        var start = Clock.StartOf(3);
        for (var beat = -2; beat <= Beats + 2; beat++)
        {
            var at = start + (Heartbeat * beat) + TimeSpan.FromMilliseconds(10);
            seen.Seen("0xAlways", at);
            seen.Seen("0xAlways", at); // twice counts once
            if (beat < Beats / 2)
            {
                seen.Seen("0xHalf", at);
            }

            if (beat % 3 == 0)
            {
                seen.Seen("0xGossipCoalesced", at); // only every third heartbeat arrives: still continuous
            }
        }

        seen.Seen("0xOther-epoch", Clock.StartOf(4) + Heartbeat);

        var table = seen.Table(3);
        Assert.Equal(255, table["0xalways"]);
        Assert.Equal(255, table["0xgossipcoalesced"]);
        Assert.InRange(table["0xhalf"], 127 - 255 / Beats, 128);
        Assert.False(table.ContainsKey("0xother-epoch"));
        Assert.Equal(["0xalways", "0xgossipcoalesced", "0xhalf"], seen.NodesSeenIn(3).Order());
    }

    [Fact]
    public void A_silence_longer_than_the_gap_covers_nothing_and_old_epochs_can_be_forgotten()
    {
        var seen = new HeartbeatCoverage(Clock, MaxGap);
        var start = Clock.StartOf(5);
        seen.Seen(Node, start);
        seen.Seen(Node, start + (Clock.Length / 4));
        seen.Seen(Node, start + (Clock.Length / 2));
        seen.Seen(Node, start + (Clock.Length / 2) + Heartbeat);
        seen.Seen(Node, start + (Clock.Length / 4)); // out of order: ignored

        Assert.Equal(Math.Round(255.0 * Heartbeat / Clock.Length), seen.Table(5)[Node]);
        seen.ForgetBefore(6);
        Assert.Empty(seen.Table(5));
    }

    [Fact]
    public void With_one_node_down_for_half_an_epoch_and_one_lying_observer_the_agreed_availabilities_are_right_within_one_heartbeat()
    {
        var observers = Enumerable.Range(0, 5).Select(_ => NodeKey.Generate()).ToArray();
        var down = observers[4].Address.ToLowerInvariant();
        var liar = observers[3];
        var start = Clock.StartOf(7);
        var random = new Random(5);
        var tables = new List<SignedAvailability>();
        foreach (var observer in observers)
        {
            var seen = new HeartbeatCoverage(Clock, MaxGap);
            for (var beat = -1; beat <= Beats + 1; beat++)
            {
                foreach (var node in observers)
                {
                    var nodeIsDown = node.Address.ToLowerInvariant() == down && beat >= Beats / 2;
                    var observerIsDown = observer.Address.ToLowerInvariant() == down && beat >= Beats / 2;
                    var gossipLost = random.NextDouble() < 0.2; // gossip delivers only the latest of several heartbeats
                    if (!nodeIsDown && !observerIsDown && !gossipLost)
                    {
                        seen.Seen(node.Address, start + (Heartbeat * beat) + TimeSpan.FromMilliseconds(random.Next(0, 50)));
                    }
                }
            }

            var table = seen.Table(7);
            if (observer == liar)
            {
                table = table.SetItem(down, 255).SetItem(observers[0].Address.ToLowerInvariant(), 0); // flatters one, slanders another
            }

            tables.Add(SignedAvailability.Create(7, table, observer, NetworkIds.Default));
        }

        var result = EpochResult.FromTables(7, tables, observers.Select(o => o.Address).ToHashSet(StringComparer.OrdinalIgnoreCase), _verifier, NetworkIds.Default)!;

        var oneHeartbeat = 255.0 / Beats; // one heartbeat interval, plus the byte's rounding below
        Assert.InRange(result.Agreed[down], Math.Floor(127.5 - oneHeartbeat), Math.Ceiling(127.5 + oneHeartbeat));
        foreach (var node in observers.Take(4))
        {
            Assert.InRange(result.Agreed[node.Address.ToLowerInvariant()], Math.Floor(255 - oneHeartbeat), 255);
        }
    }

    [Fact]
    public void A_minority_of_liars_cannot_move_the_median_outside_what_the_honest_observers_reported()
    {
        Gen.Select(Gen.Byte.Array[3, 7], Gen.Byte.Array[0, 6]).Sample((honest, lies) =>
        {
            var liars = lies.Take((honest.Length - 1) / 2).ToArray(); // strictly fewer than the honest ones
            var median = AvailabilityAgreement.Median(honest.Concat(liars));
            Assert.InRange(median, honest.Min(), honest.Max());
        }, iter: 500);
    }

    [Fact]
    public void A_table_signed_for_another_network_or_as_another_type_does_not_count_and_a_result_signed_for_another_network_neither()
    {
        var observer = NodeKey.Generate();
        var observers = new HashSet<string>([observer.Address], StringComparer.OrdinalIgnoreCase);
        var table = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, [KeyValuePair.Create(Node, (byte)200)]);

        var testnet = SignedAvailability.Create(1, table, observer, "naeural-testnet");
        Assert.True(testnet.IsAuthentic(_verifier, "naeural-testnet"));
        Assert.Contains("network 'naeural-devnet'", testnet.Problem(_verifier, NetworkIds.Default));
        Assert.Null(EpochResult.FromTables(1, [testnet], observers, _verifier, NetworkIds.Default));

        // The table's very fields, signed by the observer as another kind of object, do not pass for its table.
        var fields = new System.Text.Json.Nodes.JsonObject { ["EPOCH"] = 1, ["AVAILABILITY"] = new System.Text.Json.Nodes.JsonObject { [Node] = 200 } };
        var otherType = new SignedDomain(NetworkIds.Default, NetworkIds.PipelineSummaryType, 1).Sign(fields, observer);
        Assert.False((SignedAvailability.Create(1, table, observer, NetworkIds.Default) with { Signature = otherType }).IsAuthentic(_verifier, NetworkIds.Default));
        Assert.NotNull(EpochResult.FromTables(1, [SignedAvailability.Create(1, table, observer, NetworkIds.Default)], observers, _verifier, NetworkIds.Default));

        // Results are EIP-712 in the settlement domain, whose chain id and contract derive from the network id.
        var result = new EpochResult(1, table);
        var signedOnTestnet = result.Sign(observer, Naeural.Ledger.Channels.VoucherDomain.ForNetwork("naeural-testnet"));
        Assert.DoesNotContain(observer.Address, result.Signers([signedOnTestnet], _verifier, Naeural.Ledger.Channels.VoucherDomain.ForNetwork(NetworkIds.Default)));
        Assert.Contains(observer.Address, result.Signers([signedOnTestnet], _verifier, Naeural.Ledger.Channels.VoucherDomain.ForNetwork("naeural-testnet")));
    }

    [Fact]
    public void Forged_repeated_and_strangers_tables_do_not_count()
    {
        var honest = NodeKey.Generate();
        var other = NodeKey.Generate();
        var impostor = NodeKey.Generate();
        var observers = new HashSet<string>([honest.Address, other.Address], StringComparer.OrdinalIgnoreCase);
        var table = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, [KeyValuePair.Create(Node, (byte)200)]);
        var forged = SignedAvailability.Create(1, table.SetItem(Node, 0), impostor, NetworkIds.Default) with { Observer = honest.Address };
        var strangers = Enumerable.Range(0, 5).Select(_ => SignedAvailability.Create(1, table.SetItem(Node, 0), NodeKey.Generate(), NetworkIds.Default));

        var result = EpochResult.FromTables(1,
            [SignedAvailability.Create(1, table, honest, NetworkIds.Default), SignedAvailability.Create(1, table, other, NetworkIds.Default), forged, forged, .. strangers,
             SignedAvailability.Create(2, table.SetItem(Node, 0), honest, NetworkIds.Default)], observers, _verifier, NetworkIds.Default)!;

        Assert.False(forged.IsAuthentic(_verifier, NetworkIds.Default));
        Assert.Equal(200, result.Agreed[Node]);
    }

    [Fact]
    public void Without_a_majority_of_observers_there_is_no_result_and_an_equivocating_observer_is_left_out()
    {
        var observers = Enumerable.Range(0, 5).Select(_ => NodeKey.Generate()).ToArray();
        var set = observers.Select(o => o.Address).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var table = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, [KeyValuePair.Create(Node, (byte)100)]);

        Assert.Null(EpochResult.FromTables(1, observers.Take(2).Select(o => SignedAvailability.Create(1, table, o, NetworkIds.Default)), set, _verifier, NetworkIds.Default));

        var twoFaced = observers[2];
        var tables = observers.Take(2).Select(o => SignedAvailability.Create(1, table, o, NetworkIds.Default))
            .Append(SignedAvailability.Create(1, table.SetItem(Node, 0), twoFaced, NetworkIds.Default))
            .Append(SignedAvailability.Create(1, table.SetItem(Node, 255), twoFaced, NetworkIds.Default));
        Assert.Null(EpochResult.FromTables(1, tables, set, _verifier, NetworkIds.Default)); // the two-faced observer counts for nothing: 2 of 5

        var result = EpochResult.FromTables(1, tables.Append(SignedAvailability.Create(1, table, observers[3], NetworkIds.Default)), set, _verifier, NetworkIds.Default)!;
        Assert.Equal(100, result.Agreed[Node]);
    }

    [Fact]
    public void Rewards_follow_agreed_availability_and_a_claim_needs_a_threshold_of_observer_signatures()
    {
        var observers = Enumerable.Range(0, 5).Select(_ => NodeKey.Generate()).ToArray();
        var (a, b) = (NodeKey.Generate().Address.ToLowerInvariant(), NodeKey.Generate().Address.ToLowerInvariant());
        var agreed = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, [KeyValuePair.Create(a, (byte)255), KeyValuePair.Create(b, (byte)85)]);
        var result = new EpochResult(9, agreed);

        var rewards = result.Rewards(1_000);
        Assert.Equal((new BigInteger(750), new BigInteger(250)), (rewards[a], rewards[b]));

        var observerSet = observers.Select(o => o.Address).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var three = observers.Take(3).Select(result.Sign).ToList();
        Assert.True(result.ClaimIsValid(a, three, observerSet, threshold: 3, _verifier));
        Assert.True(result.ClaimIsValid(a.ToUpperInvariant().Replace("0X", "0x"), three, observerSet, threshold: 3, _verifier));
        Assert.False(result.ClaimIsValid(a, three.Take(2), observerSet, threshold: 3, _verifier));
        Assert.False(result.ClaimIsValid(a, [three[0], three[0], three[0]], observerSet, threshold: 3, _verifier));
        Assert.False(result.ClaimIsValid(a, [.. three.Take(2), result.Sign(NodeKey.Generate())], observerSet, threshold: 3, _verifier));
        Assert.False(result.ClaimIsValid(a, [.. three.Take(2), new EpochResult(9, agreed.SetItem(a, 1)).Sign(observers[3])], observerSet, 3, _verifier));
        Assert.False(result.ClaimIsValid(a, three, observerSet, threshold: 3, _verifier, new Naeural.Ledger.Channels.VoucherDomain(1337, observers[4].Address)));
        Assert.False(result.ClaimIsValid(NodeKey.Generate().Address, three, observerSet, threshold: 3, _verifier));
    }

    [Fact]
    public void An_epoch_table_from_a_member_that_is_not_a_registered_observer_is_ignored()
    {
        var registered = NodeKey.Generate();
        var strangers = Enumerable.Range(0, 2).Select(_ => NodeKey.Generate()).ToArray(); // members that gossip tables
        var node = registered.Address.ToLowerInvariant();
        var truth = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, [KeyValuePair.Create(node, (byte)255)]);
        var lie = truth.SetItem(node, 0);
        var tables = strangers.Select(s => SignedAvailability.Create(1, lie, s, NetworkIds.Default)).Append(SignedAvailability.Create(1, truth, registered, NetworkIds.Default)).ToList();
        var seen = strangers.Prepend(registered).Select(k => k.Address.ToLowerInvariant()).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var registry = new Naeural.Ledger.Channels.ObserverRegistry([registered.Address], 1);

        Assert.Equal(0, EpochResult.FromTables(1, tables, seen, _verifier, NetworkIds.Default)!.Agreed[node]); // every member seen counted: the strangers win
        var counted = EpochObservers.Counted(EpochObservers.Registered(registry), seen);
        Assert.Equal(255, EpochResult.FromTables(1, tables, counted, _verifier, NetworkIds.Default)!.Agreed[node]);
        Assert.Null(EpochResult.FromTables(1, tables, EpochObservers.Counted(EpochObservers.Registered(Naeural.Ledger.Channels.ObserverRegistry.None), seen), _verifier, NetworkIds.Default));
    }

    [Fact]
    public void A_non_address_key_in_a_registered_observers_table_is_left_out_and_the_result_can_still_be_signed()
    {
        var observer = NodeKey.Generate();
        var node = observer.Address.ToLowerInvariant();
        var table = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal,
            [KeyValuePair.Create(node, (byte)255), KeyValuePair.Create("not-an-address", (byte)255)]);

        var result = EpochResult.FromTables(1, [SignedAvailability.Create(1, table, observer, NetworkIds.Default)], new HashSet<string>(StringComparer.OrdinalIgnoreCase) { node }, _verifier, NetworkIds.Default)!;

        Assert.Equal([node], result.Agreed.Keys);
        Assert.NotEmpty(result.Sign(observer));
    }
}
