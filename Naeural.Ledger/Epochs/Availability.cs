using System.Collections.Immutable;

namespace Naeural.Ledger.Epochs;

/// <summary>
/// One observer's record of the heartbeats it saw in one epoch, turned into availability the original's way: the covered
/// share of the epoch scaled to 0–255 (255 = seen in every heartbeat slot).
/// </summary>
public sealed class AvailabilityObservations(EpochClock clock, long epoch)
{
    private readonly Dictionary<string, HashSet<int>> _slots = new(StringComparer.OrdinalIgnoreCase);

    public long Epoch => epoch;

    /// <summary>A heartbeat of <paramref name="nodeId"/> seen at <paramref name="time"/> (ignored outside this epoch).</summary>
    public void Seen(string nodeId, DateTimeOffset time)
    {
        if (clock.EpochAt(time) != epoch)
        {
            return;
        }

        if (!_slots.TryGetValue(nodeId, out var slots))
        {
            _slots[nodeId] = slots = [];
        }

        slots.Add(clock.SlotAt(time));
    }

    /// <summary>Availability per node seen at all: covered slots / all slots, as 0–255.</summary>
    public ImmutableSortedDictionary<string, byte> Table() =>
        _slots.ToImmutableSortedDictionary(
            s => s.Key.ToLowerInvariant(),
            s => (byte)Math.Round(255.0 * s.Value.Count / clock.SlotsPerEpoch),
            StringComparer.Ordinal);
}

/// <summary>
/// The network's agreed availability per node for one epoch: the median of what the observers report (an observer that
/// doesn't mention a node reports 0 for it), so fewer than half of the observers, lying, can't move a node's value outside
/// the range the honest ones reported.
/// </summary>
public static class AvailabilityAgreement
{
    public static ImmutableSortedDictionary<string, byte> Agree(IReadOnlyCollection<IReadOnlyDictionary<string, byte>> tables)
    {
        var nodes = tables.SelectMany(t => t.Keys).Select(k => k.ToLowerInvariant()).ToHashSet();
        return nodes.ToImmutableSortedDictionary(
            node => node,
            node => Median(tables.Select(t => t.FirstOrDefault(p => string.Equals(p.Key, node, StringComparison.OrdinalIgnoreCase)).Value)),
            StringComparer.Ordinal);
    }

    /// <summary>The lower median (for an even count, the lower of the two middle values: no value is invented).</summary>
    public static byte Median(IEnumerable<byte> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? (byte)0 : sorted[(sorted.Length - 1) / 2];
    }
}
