using Naeural.Actors.Security;
using Xunit;

namespace Naeural.Fast.Tests.Security;

/// <summary>
/// A reader of signed replicated entries keeps each key moving forward: an entry its writer really signed once, but older
/// than the one already taken (replayed by a member that kept it), changes nothing, also after the key was removed.
/// </summary>
public sealed class VerifiedEntriesTests
{
    private sealed record Entry(long Stamp, bool Signed, string Writer = "0xhost");

    private readonly List<string> _rejections = [];

    private VerifiedEntries<Entry> Reader() => new(
        (_, entry) => entry.Signed ? null : "bad signature",
        (key, why) => _rejections.Add($"{key}: {why}"),
        order: entry => (entry.Writer, entry.Stamp));

    [Fact]
    public void A_newer_signed_entry_replaces_the_accepted_one_and_an_older_signed_one_is_refused()
    {
        var reader = Reader();

        Assert.True(reader.Consider("p", new Entry(10, true)));
        Assert.True(reader.Consider("p", new Entry(20, true)));
        Assert.False(reader.Consider("p", new Entry(15, true)));

        Assert.Equal(20, reader.Accepted["p"].Stamp);
        Assert.Contains(_rejections, r => r.Contains("replay", StringComparison.Ordinal));
    }

    [Fact]
    public void Writers_are_not_ordered_against_each_other_so_one_dated_far_ahead_does_not_shut_out_another()
    {
        var reader = Reader();

        Assert.True(reader.Consider("p", new Entry(long.MaxValue, true, "0xhostile")));
        Assert.True(reader.Consider("p", new Entry(20, true)));
        Assert.False(reader.Consider("p", new Entry(15, true))); // still: the host's own older entry is a replay

        Assert.Equal((20, "0xhost"), (reader.Accepted["p"].Stamp, reader.Accepted["p"].Writer));
    }

    [Fact]
    public void After_its_key_is_removed_an_older_entry_replayed_under_it_is_refused_and_the_newest_or_a_newer_one_taken()
    {
        var reader = Reader();
        reader.Read([new("p", new Entry(9, true))]);
        reader.Read([new("p", new Entry(10, true))]); // the writer's tombstone, say

        reader.Read([]); // removed: the map no longer has it
        Assert.False(reader.Read([new("p", new Entry(9, true))]));
        Assert.Empty(reader.Accepted);

        Assert.True(reader.Read([new("p", new Entry(10, true))])); // a map read before the write caught up dropped it for a moment
        Assert.True(reader.Read([new("p", new Entry(11, true))]));
        Assert.Equal(11, reader.Accepted["p"].Stamp);
    }

    [Fact]
    public void A_forged_entry_over_a_good_one_keeps_the_good_one_and_is_reported_once()
    {
        var reader = Reader();
        reader.Consider("p", new Entry(10, true));

        var forged = new Entry(99, false);
        Assert.False(reader.Consider("p", forged));
        Assert.False(reader.Consider("p", forged));

        Assert.Equal(10, reader.Accepted["p"].Stamp);
        Assert.Single(_rejections);
    }
}
