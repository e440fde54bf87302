using Naeural.Actors.Security;
using Naeural.Ledger.Channels;

namespace Naeural.Ledger.Epochs;

/// <summary>Whose epoch tables and result signatures count: the ledger's registered observers, never whoever gossips one.</summary>
public static class EpochObservers
{
    /// <summary>The registered observers, lower-case (a malformed entry is left out).</summary>
    public static IReadOnlySet<string> Registered(ObserverRegistry registry) =>
        (registry.Observers.IsDefault ? [] : registry.Observers)
            .Where(NodeIds.IsAddress)
            .Select(o => o.ToLowerInvariant())
            .ToHashSet(AccountAddress.Comparer);

    /// <summary>
    /// The observers an epoch's quorum is counted over: registered, and seen (a verified heartbeat bound to a member) during the
    /// epoch. Without a registry there are none, so no result is agreed.
    /// </summary>
    public static IReadOnlySet<string> Counted(IReadOnlySet<string> registered, IReadOnlySet<string> seen) =>
        seen.Where(registered.Contains).Select(o => o.ToLowerInvariant()).ToHashSet(AccountAddress.Comparer);
}
