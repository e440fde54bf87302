using System.Collections.Immutable;
using Naeural.Actors.Security;

namespace Naeural.Ledger.Epochs;

/// <summary>
/// The network's agreed availability per node for one epoch: the median of what the observers report (an observer that
/// doesn't mention a node reports 0 for it), so fewer than half of the observers, lying, can't move a node's value outside
/// the range the honest ones reported. Only node ids (addresses) are agreed on: any other key in a table is left out, so it
/// can't make the result unsignable.
/// </summary>
public static class AvailabilityAgreement
{
    public static ImmutableSortedDictionary<string, byte> Agree(IReadOnlyCollection<IReadOnlyDictionary<string, byte>> tables)
    {
        var nodes = tables.SelectMany(t => t.Keys).Where(Naeural.Actors.Security.NodeIds.IsAddress).Select(k => k.ToLowerInvariant()).ToHashSet();
        return nodes.ToImmutableSortedDictionary(
            node => node,
            node => Median(tables.Select(t => t.FirstOrDefault(p => AccountAddress.Same(p.Key, node)).Value)),
            StringComparer.Ordinal);
    }

    /// <summary>The lower median (for an even count, the lower of the two middle values: no value is invented).</summary>
    public static byte Median(IEnumerable<byte> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? (byte)0 : sorted[(sorted.Length - 1) / 2];
    }
}
