namespace Naeural.Actors.Security;

/// <summary>
/// A front door's memory of the signed objects it verified (by signer and nonce), accepted or refused, for as long as they
/// would pass its freshness check: the same signed object is looked at once. Bounded: past <c>capacity</c> it forgets the
/// oldest, and from then on refuses everything signed at or before that one's time (so forgetting never lets a replay
/// through; at worst an honest object older than the newest forgotten one is refused and must be signed again). Pure, not
/// thread-safe: one actor owns it.
/// </summary>
public sealed class ReplayCache
{
    private readonly TimeSpan _window;
    private readonly int _capacity;
    private readonly Dictionary<string, long> _seen = new(StringComparer.Ordinal);
    private readonly PriorityQueue<string, long> _byTime = new();
    private long _floorMs = long.MinValue;

    /// <param name="window">The freshness window: an object signed more than this before now is refused as stale anyway.</param>
    /// <param name="capacity">The most objects remembered at once.</param>
    public ReplayCache(TimeSpan window, int capacity = 100_000)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        _window = window;
        _capacity = capacity;
    }

    /// <summary>How many objects it remembers now.</summary>
    public int Count => _seen.Count;

    /// <summary>
    /// Remembers <paramref name="signer"/>'s <paramref name="nonce"/>, signed at <paramref name="timeMs"/>; null when it is new,
    /// else why it is refused (seen before, or older than what the cache had to forget).
    /// </summary>
    public string? Remember(string signer, string nonce, long timeMs, DateTimeOffset now)
    {
        Prune(now);
        var key = signer.ToLowerInvariant() + "/" + nonce;
        if (_seen.ContainsKey(key))
        {
            return $"nonce {nonce} of {signer} was already used: a signed object is looked at once";
        }

        if (timeMs <= _floorMs)
        {
            return $"signed at {timeMs}, not after {_floorMs}, the newest time this node had to forget (its replay memory is full): sign it again";
        }

        while (_seen.Count >= _capacity && _byTime.TryDequeue(out var oldest, out var at))
        {
            _seen.Remove(oldest);
            _floorMs = Math.Max(_floorMs, at);
        }

        _seen[key] = timeMs;
        _byTime.Enqueue(key, timeMs);
        return null;
    }

    /// <summary>Forgets what the freshness check refuses by itself now.</summary>
    private void Prune(DateTimeOffset now)
    {
        var horizon = (now - _window).ToUnixTimeMilliseconds();
        while (_byTime.TryPeek(out var key, out var at) && at < horizon)
        {
            _byTime.Dequeue();
            _seen.Remove(key);
        }
    }
}
