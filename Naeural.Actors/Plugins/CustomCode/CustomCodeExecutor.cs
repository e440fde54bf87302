namespace Naeural.Actors.Plugins.CustomCode;

/// <summary>
/// The thread custom code runs on, one per <c>CUSTOM_EXEC</c> instance: the instance's actor hands it a step and is told
/// (without blocking a dispatcher thread) when it returned, or when a hard limit passed first. The budget's ticks end almost
/// every overrun within the step's own bound; the hard limit is the backstop for a single library call that runs long
/// between two ticks: the actor stops waiting (and reports it), the thread finishes that call on its own (.NET can't abort it) and no new step starts on it until then. Its own stack
/// (1 MB) keeps deep-recursion checks independent of the dispatcher's threads, and short enough that unwinding the
/// deepest recursion the budget allows takes milliseconds.
/// </summary>
internal sealed class CustomCodeExecutor : IDisposable
{
    private const int StackSize = 1024 * 1024;
    private readonly SemaphoreSlim _start = new(0);
    private readonly ManualResetEventSlim _done = new(initialState: true);
    private readonly OverrunSteps _overruns;
    private readonly string _owner;
    private Action? _job;
    private TaskCompletionSource<bool>? _outcome;
    private volatile bool _stopping;
    private volatile bool _overran;

    public CustomCodeExecutor(string name, OverrunSteps overruns, string owner = "")
    {
        _overruns = overruns;
        _owner = owner;
        var thread = new Thread(Loop, StackSize) { IsBackground = true, Name = name };
        thread.Start();
    }

    /// <summary>A step is running (or overran the hard limit and is still running).</summary>
    public bool IsBusy => !_done.IsSet;

    /// <summary>Runs <paramref name="job"/> on this executor's thread, blocking the caller; true when it finished within <paramref name="limit"/>.</summary>
    public bool Run(Action job, TimeSpan limit) => RunAsync(job, limit).GetAwaiter().GetResult();

    /// <summary>
    /// Starts <paramref name="job"/> on this executor's thread without blocking the caller: the task completes with true when
    /// the job returns within <paramref name="limit"/>, with false when the limit passes first (the step is then counted as
    /// overrunning, against its owner and the node, until it returns).
    /// </summary>
    public Task<bool> RunAsync(Action job, TimeSpan limit)
    {
        ObjectDisposedException.ThrowIf(_stopping, this);
        if (IsBusy)
        {
            throw new InvalidOperationException("a step is still running");
        }

        var outcome = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        _outcome = outcome;
        _job = job;
        _overran = false;
        _done.Reset();
        _start.Release();
        Task.Delay(limit).ContinueWith(_ =>
        {
            // Counted until the step returns; the thread's own finally may already have run (then it was never counted).
            lock (this)
            {
                if (!_done.IsSet && ReferenceEquals(_outcome, outcome))
                {
                    _overran = true;
                    _overruns.Started(_owner);
                    outcome.TrySetResult(false);
                }
            }
        }, TaskScheduler.Default);
        return outcome.Task;
    }

    /// <summary>Lets the thread end: now if idle, else after the step it is running.</summary>
    public void Dispose()
    {
        if (!_stopping)
        {
            _stopping = true;
            _start.Release();
        }
    }

    private void Loop()
    {
        while (true)
        {
            _start.Wait();
            if (_job is not { } job)
            {
                if (_stopping)
                {
                    return;
                }

                continue;
            }

            try
            {
                _overruns.StepStarted();
                job();
            }
            catch (Exception)
            {
                // A step reports its own failures; nothing thrown past it may end this thread (and the process with it).
            }
            finally
            {
                _overruns.StepEnded();
                _job = null;
                lock (this)
                {
                    if (_overran)
                    {
                        _overran = false;
                        _overruns.Ended(_owner);
                    }

                    _done.Set();
                    _outcome?.TrySetResult(true);
                }
            }
        }
    }
}

/// <summary>
/// The custom-code steps of a node: how many run now (<see cref="Stepping"/>), and how many overran their hard limit and
/// still run on their own threads (.NET can't abort them), per owner and in all. Each overrun burns a core until its library
/// call returns, so an owner with <see cref="PerOwnerMax"/> of them starts no new step (its quota), and past
/// <see cref="Max"/> on the node no <c>CUSTOM_EXEC</c> step starts at all (the last resort).
/// </summary>
public sealed class OverrunSteps
{
    public const int Max = 4;

    /// <summary>Overrunning steps one owner may have before its steps are refused.</summary>
    public const int PerOwnerMax = 1;

    private readonly Dictionary<string, int> _byOwner = new(StringComparer.Ordinal);
    private int _running;
    private int _stepping;

    /// <summary>Overrunning steps on the node.</summary>
    public int Running => Volatile.Read(ref _running);

    /// <summary>Steps running now (within their bound or past it).</summary>
    public int Stepping => Volatile.Read(ref _stepping);

    public bool Exhausted => Running >= Max;

    /// <summary>Overrunning steps of <paramref name="owner"/>.</summary>
    public int RunningFor(string owner)
    {
        lock (_byOwner)
        {
            return _byOwner.GetValueOrDefault(owner);
        }
    }

    internal void Started(string owner)
    {
        lock (_byOwner)
        {
            _byOwner[owner] = _byOwner.GetValueOrDefault(owner) + 1;
            _running++;
        }
    }

    internal void Ended(string owner)
    {
        lock (_byOwner)
        {
            if (_byOwner.TryGetValue(owner, out var count))
            {
                if (count <= 1)
                {
                    _byOwner.Remove(owner);
                }
                else
                {
                    _byOwner[owner] = count - 1;
                }
            }

            _running--;
        }
    }

    internal void StepStarted() => Interlocked.Increment(ref _stepping);

    internal void StepEnded() => Interlocked.Decrement(ref _stepping);
}
