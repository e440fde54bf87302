using System.Collections.Immutable;
using Naeural.Actors.Security;

namespace Naeural.Ledger.Epochs;

/// <summary>
/// One observer's record of the heartbeats it saw from every node, turned into availability the original's way: the covered
/// share of an epoch scaled to 0–255. Two consecutive heartbeats of a node at most <paramref name="maxGap"/> apart cover the
/// time between them (gossip may deliver only the latest of several heartbeats, so slots would undercount); a longer silence
/// covers nothing, so a node that was down is charged for its downtime to within one heartbeat interval.
/// </summary>
public sealed class HeartbeatCoverage(EpochClock clock, TimeSpan maxGap)
{
    private readonly Dictionary<string, NodeCoverage> _nodes = new(AccountAddress.Comparer);

    public EpochClock Clock => clock;

    /// <summary>A heartbeat of <paramref name="nodeId"/> sent at <paramref name="at"/>; older than the last one seen: ignored.</summary>
    public void Seen(string nodeId, DateTimeOffset at)
    {
        if (!_nodes.TryGetValue(nodeId, out var node))
        {
            _nodes[nodeId] = node = new NodeCoverage();
        }

        node.Seen(at, maxGap);
    }

    /// <summary>The nodes with a heartbeat, or covered time, during <paramref name="epoch"/>, lower-case.</summary>
    public IReadOnlySet<string> NodesSeenIn(long epoch) =>
        _nodes.Where(n => n.Value.Touches(clock.StartOf(epoch), clock.EndOf(epoch)))
            .Select(n => n.Key.ToLowerInvariant())
            .ToHashSet(AccountAddress.Comparer);

    /// <summary>Availability of every node seen during <paramref name="epoch"/>: covered time / epoch length, as 0–255.</summary>
    public ImmutableSortedDictionary<string, byte> Table(long epoch)
    {
        var (start, end) = (clock.StartOf(epoch), clock.EndOf(epoch));
        return _nodes
            .Where(n => n.Value.Touches(start, end))
            .ToImmutableSortedDictionary(
                n => n.Key.ToLowerInvariant(),
                n => (byte)Math.Round(255.0 * Math.Min(1.0, n.Value.CoveredBetween(start, end) / clock.Length)),
                StringComparer.Ordinal);
    }

    /// <summary>Drops what was recorded before <paramref name="epoch"/> began.</summary>
    public void ForgetBefore(long epoch)
    {
        foreach (var node in _nodes.Values)
        {
            node.ForgetBefore(clock.StartOf(epoch));
        }
    }

    private sealed class NodeCoverage
    {
        private readonly List<(DateTimeOffset Start, DateTimeOffset End)> _covered = [];
        private readonly List<DateTimeOffset> _sightings = [];
        private DateTimeOffset? _last;

        public void Seen(DateTimeOffset at, TimeSpan maxGap)
        {
            if (_last is { } last && at <= last)
            {
                return;
            }

            _sightings.Add(at);
            if (_last is { } previous && at - previous <= maxGap)
            {
                if (_covered.Count > 0 && _covered[^1].End == previous)
                {
                    _covered[^1] = (_covered[^1].Start, at);
                }
                else
                {
                    _covered.Add((previous, at));
                }
            }

            _last = at;
        }

        public bool Touches(DateTimeOffset start, DateTimeOffset end) =>
            _sightings.Any(s => s >= start && s < end) || CoveredBetween(start, end) > TimeSpan.Zero;

        public TimeSpan CoveredBetween(DateTimeOffset start, DateTimeOffset end) =>
            _covered.Aggregate(TimeSpan.Zero, (sum, c) =>
            {
                var overlap = Min(c.End, end) - Max(c.Start, start);
                return overlap > TimeSpan.Zero ? sum + overlap : sum;
            });

        public void ForgetBefore(DateTimeOffset time)
        {
            _covered.RemoveAll(c => c.End < time);
            _sightings.RemoveAll(s => s < time);
        }

        private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

        private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;
    }
}
