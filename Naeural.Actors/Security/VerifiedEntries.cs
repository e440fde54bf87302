namespace Naeural.Actors.Security;

/// <summary>
/// A reader's verified copy of a replicated map whose entries are signed (by the node a key names, or by the node that wrote
/// them): an entry counts only when <c>problem(key, entry)</c> finds nothing. Each entry version is checked once: an entry
/// equal to the one last read under its key (the same object, or the same fields and signature) is not checked again.
/// Per key, the last entry that verified is kept while a bad one sits over it (a forged write does not take a good entry
/// away); a key removed from the map is forgotten. Never throws on what it reads; each rejection is reported once.
/// </summary>
/// <param name="problem">Null when the entry is good under its key, else why not (must not throw).</param>
/// <param name="rejected">Told once per rejected entry version: its key and why.</param>
public sealed class VerifiedEntries<T>(Func<string, T, string?> problem, Action<string, string>? rejected = null)
    where T : class
{
    private readonly Dictionary<string, (T Entry, bool Good)> _lastRead = new(StringComparer.Ordinal);
    private readonly Dictionary<string, T> _accepted = new(StringComparer.Ordinal);

    /// <summary>How many entries this reader has checked (what the cache saves shows here).</summary>
    public long Verifications { get; private set; }

    /// <summary>The entries that verified, by key.</summary>
    public IReadOnlyDictionary<string, T> Accepted => _accepted;

    /// <summary>Reads the whole replicated map; true when the accepted entries changed.</summary>
    public bool Read(IEnumerable<KeyValuePair<string, T>> entries)
    {
        var changed = false;
        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (key, entry) in entries)
        {
            keys.Add(key);
            changed |= Consider(key, entry);
        }

        foreach (var gone in _lastRead.Keys.Where(k => !keys.Contains(k)).ToList())
        {
            _lastRead.Remove(gone);
            changed |= _accepted.Remove(gone);
        }

        return changed;
    }

    /// <summary>Reads one entry (this node's own write, say); true when the accepted entries changed.</summary>
    public bool Consider(string key, T? entry)
    {
        if (_lastRead.TryGetValue(key, out var last) && (ReferenceEquals(last.Entry, entry) || Equals(last.Entry, entry)))
        {
            return false;
        }

        string? why;
        if (entry is null)
        {
            why = "the entry is empty";
        }
        else
        {
            Verifications++;
            try
            {
                why = problem(key, entry);
            }
            catch (Exception e)
            {
                why = $"it could not be read: {e.Message}";
            }
        }

        _lastRead[key] = (entry!, why is null);
        if (why is not null)
        {
            rejected?.Invoke(key, why);
            return false;
        }

        _accepted[key] = entry!;
        return true;
    }

    /// <summary>Forgets a key (this node removed it).</summary>
    public bool Forget(string key)
    {
        _lastRead.Remove(key);
        return _accepted.Remove(key);
    }
}
