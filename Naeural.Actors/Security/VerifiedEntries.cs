namespace Naeural.Actors.Security;

/// <summary>
/// A reader's verified copy of a replicated map whose entries are signed (by the node a key names, or by the node that wrote
/// them): an entry counts only when <c>problem(key, entry)</c> finds nothing. Each entry version is checked once: an entry
/// equal to the one last read under its key (the same object, or the same fields and signature) is not checked again.
/// Per key, the last entry that verified is kept while a bad one sits over it (a forged write does not take a good entry
/// away). With an <c>order</c> (who signed an entry, and its signed time or version), each writer's entries under a key only
/// move forward: an entry its writer really signed once but older than one of that writer's already seen (replayed by a
/// member that kept it) is refused, also after the key was removed (the marks of the newest <see cref="MarkedKeys"/> keys
/// are kept; a writer ends a key with a newer final entry, a tombstone, so its last live entry can't come back). Writers are not ordered against each other, so no writer can date its entries ahead to shut another out.
/// Never throws on what it reads; each rejection is reported once.
/// </summary>
/// <param name="problem">Null when the entry is good under its key, else why not (must not throw).</param>
/// <param name="rejected">Told once per rejected entry version: its key and why.</param>
/// <param name="order">An entry's signer and signed order (greater is newer); null: entries are not ordered.</param>
public sealed class VerifiedEntries<T>(Func<string, T, string?> problem, Action<string, string>? rejected = null,
    Func<T, (string Writer, long Order)>? order = null)
    where T : class
{
    /// <summary>How many keys' per-writer marks are remembered (the oldest marked keys are forgotten first).</summary>
    public const int MarkedKeys = 200_000;

    private readonly Dictionary<string, (T Entry, bool Good)> _lastRead = new(StringComparer.Ordinal);
    private readonly Dictionary<string, T> _accepted = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Dictionary<string, long>> _marks = new(StringComparer.Ordinal);
    private readonly Queue<string> _markedKeys = new();

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
            changed |= Forget(gone);
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
                why = problem(key, entry) ?? Older(key, entry);
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
        Mark(key, entry!);
        return true;
    }

    /// <summary>Forgets a key (this node removed it, or the map no longer has it); its writers' marks stay.</summary>
    public bool Forget(string key)
    {
        _lastRead.Remove(key);
        return _accepted.Remove(key);
    }

    /// <summary>
    /// Why a verified entry is a replay, or null: older than its writer's newest seen under this key (also once the key no
    /// longer holds that one). The newest itself may come back (a map read before a write caught up drops it for a moment):
    /// a writer that ends a key for good writes a newer, final entry (a tombstone) rather than removing it.
    /// </summary>
    private string? Older(string key, T entry)
    {
        if (order is null || !_marks.TryGetValue(key, out var writers))
        {
            return null;
        }

        var (writer, at) = order(entry);
        if (!writers.TryGetValue(writer, out var newest))
        {
            return null;
        }

        return at < newest ? $"{writer} signed a newer entry ({newest}) under this key than this one ({at}): a replay" : null;
    }

    private void Mark(string key, T entry)
    {
        if (order is null)
        {
            return;
        }

        if (!_marks.TryGetValue(key, out var writers))
        {
            if (_marks.Count >= MarkedKeys && _markedKeys.TryDequeue(out var oldest))
            {
                _marks.Remove(oldest);
            }

            _markedKeys.Enqueue(key);
            _marks[key] = writers = new Dictionary<string, long>(AccountAddress.Comparer);
        }

        var (writer, at) = order(entry);
        writers[writer] = writers.TryGetValue(writer, out var newest) ? Math.Max(newest, at) : at;
    }
}
