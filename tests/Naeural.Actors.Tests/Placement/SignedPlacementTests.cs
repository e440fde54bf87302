using System.Diagnostics;
using Naeural.Actors.Placement;
using Naeural.Actors.Security;
using Naeural.Ledger.Identity;
using Naeural.Ledger.Signing;
using Xunit;
using Xunit.Abstractions;

namespace Naeural.Actors.Tests.Placement;

/// <summary>
/// The replicated placement registry as a reader takes it (<see cref="SignedPlacement"/> through <see cref="VerifiedEntries{T}"/>):
/// only entries their writer signed, for the pipeline they are filed under, on this network, each version checked once.
/// </summary>
public sealed class SignedPlacementTests(ITestOutputHelper output)
{
    private const string Pipeline = "0x00000000000000000000000000000000000000aa/feed";
    private static readonly PlacementRequirements Gpu = PlacementRequirements.None with { Gpu = true };
    private readonly Secp256k1Verifier _verifier = new();
    private readonly NodeKey _frontDoor = NodeKey.Generate();
    private readonly NodeKey _attacker = NodeKey.Generate();

    [Fact]
    public void Requirements_written_in_another_nodes_name_for_another_pipeline_network_or_type_are_ignored_and_the_good_ones_kept()
    {
        var rejected = new List<string>();
        var reader = Reader(rejected);
        var genuine = SignedPlacement.Sign(Pipeline, Gpu, _frontDoor, NetworkIds.Default);
        Assert.True(reader.Read([KeyValuePair.Create(Pipeline, genuine)]));

        var forgeries = new[]
        {
            // In the front door's name, signed by the attacker: pinned to the attacker.
            SignedPlacement.Sign(Pipeline, PlacementRequirements.None with { Node = _attacker.Address }, _attacker, NetworkIds.Default) with { Writer = _frontDoor.Address },
            // Another pipeline's genuine entry, filed under this one.
            SignedPlacement.Sign("0x00000000000000000000000000000000000000aa/other", PlacementRequirements.None, _frontDoor, NetworkIds.Default),
            // Genuine, but for a testnet.
            SignedPlacement.Sign(Pipeline, PlacementRequirements.None, _frontDoor, "naeural-testnet"),
            // The same fields signed by the front door as another type of object.
            genuine with { Requirements = Gpu, Signature = new SignedDomain(NetworkIds.Default, NetworkIds.PipelineSummaryType, 1).Sign(new(), _frontDoor) },
            new SignedPlacement(PlacementRequirements.None, _frontDoor.Address, null!),
            new SignedPlacement(PlacementRequirements.None, "not-a-node", "0x00"),
        };
        foreach (var forged in forgeries)
        {
            Assert.False(reader.Read([KeyValuePair.Create(Pipeline, forged)]));
            Assert.Same(genuine, reader.Accepted[Pipeline]); // the last good entry stays
        }

        Assert.Equal(forgeries.Length, rejected.Count);
        var honestChange = SignedPlacement.Sign(Pipeline, PlacementRequirements.None, _attacker, NetworkIds.Default);
        Assert.True(reader.Read([KeyValuePair.Create(Pipeline, honestChange)])); // any member may write in its own name
        Assert.True(reader.Read([])); // a removed key is forgotten
        Assert.Empty(reader.Accepted);
    }

    [Fact]
    public void Each_entry_version_is_verified_once_however_often_the_map_is_read()
    {
        const int entries = 500;
        var map = Enumerable.Range(0, entries)
            .Select(i => KeyValuePair.Create($"{Pipeline}{i}", SignedPlacement.Sign($"{Pipeline}{i}", Gpu, _frontDoor, NetworkIds.Default)))
            .ToList();
        var reader = Reader([]);

        var first = Stopwatch.StartNew();
        reader.Read(map);
        first.Stop();
        var again = Stopwatch.StartNew();
        for (var round = 0; round < 10; round++)
        {
            // Equal copies with fresh lists, as a deserialized gossip round delivers them.
            reader.Read(map.Select(e => KeyValuePair.Create(e.Key, e.Value with
            {
                Requirements = e.Value.Requirements with { Models = [.. e.Value.Requirements.Models], Tags = [.. e.Value.Requirements.Tags] },
            })).ToList());
        }

        again.Stop();
        Assert.Equal(entries, reader.Verifications);
        Assert.Equal(entries, reader.Accepted.Count);
        output.WriteLine($"{entries} entries: first read {first.Elapsed.TotalMilliseconds:F1} ms ({first.Elapsed.TotalMicroseconds / entries:F0} µs each), "
            + $"10 re-reads of unchanged entries {again.Elapsed.TotalMilliseconds:F1} ms");
    }

    private VerifiedEntries<SignedPlacement> Reader(List<string> rejected) =>
        new((key, entry) => SignedPlacement.Problem(key, entry, _verifier, NetworkIds.Default), (key, why) => rejected.Add($"{key}: {why}"));
}
