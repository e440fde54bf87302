using System.Collections.Immutable;

namespace Naeural.Actors.Security;

/// <summary>
/// Which node addresses may be members of this node's network: this node itself, the operator's allow-list (<c>--admit</c>)
/// and, with <see cref="AdmitLicensed"/>, the nodes holding a licence on the network's ledger (a set refreshed from the
/// settlement backend by <see cref="UpdateLicences"/>; empty until first read). Read by the TLS validation callback on every
/// handshake, from any thread: the sets are immutable and swapped whole.
/// </summary>
public sealed class PeerAdmission
{
    private volatile Licences _licences = new([], null);

    public PeerAdmission(string self, IEnumerable<string> allowList, bool admitLicensed)
    {
        Self = self;
        AllowList = allowList.ToImmutableHashSet(AccountAddress.Comparer);
        AdmitLicensed = admitLicensed;
    }

    /// <summary>This node's own address (always admitted: its own connections).</summary>
    public string Self { get; }

    /// <summary>Addresses the operator admits (<c>--admit</c>).</summary>
    public ImmutableHashSet<string> AllowList { get; }

    /// <summary>Whether a licence on the ledger admits a node (<c>--admit-licensed</c>).</summary>
    public bool AdmitLicensed { get; }

    /// <summary>The licensed addresses last read from the ledger.</summary>
    public ImmutableHashSet<string> Licensed => _licences.Set;

    /// <summary>When the licence set was last read (null: not yet).</summary>
    public DateTimeOffset? LicencesReadAt => _licences.ReadAt;

    /// <summary>Replaces the licence set with what the ledger holds now.</summary>
    public void UpdateLicences(IEnumerable<string> licensed, DateTimeOffset readAt) =>
        _licences = new Licences(licensed.ToImmutableHashSet(AccountAddress.Comparer), readAt);

    /// <summary>True when <paramref name="address"/> is admitted; else why not (naming the flags that would admit it).</summary>
    public bool IsAdmitted(string address, out string reason)
    {
        if (AccountAddress.Same(address, Self) || AllowList.Contains(address))
        {
            reason = "";
            return true;
        }

        var licences = _licences;
        if (AdmitLicensed && licences.Set.Contains(address))
        {
            reason = "";
            return true;
        }

        reason = AdmitLicensed
            ? $"node {address} is not admitted: not on --admit and holds no licence on the ledger ({licences.Set.Count} licences, "
              + (licences.ReadAt is { } at ? $"read {at:O})" : "not read yet)")
            : $"node {address} is not admitted: not on --admit (licences do not admit here: --admit-licensed is off)";
        return false;
    }

    private sealed record Licences(ImmutableHashSet<string> Set, DateTimeOffset? ReadAt);
}
