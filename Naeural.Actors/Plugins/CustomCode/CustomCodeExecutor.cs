namespace Naeural.Actors.Plugins.CustomCode;

/// <summary>
/// The thread custom code runs on, one per <c>CUSTOM_EXEC</c> instance: the instance's actor hands it a step and waits at
/// most a hard limit. The budget's ticks end almost every overrun within the step's own bound; the hard limit is the
/// backstop for a single library call that runs long between two ticks: the actor stops waiting (and reports it), the
/// thread finishes that call on its own (.NET can't abort it) and no new step starts on it until then. Its own stack
/// (1 MB) keeps deep-recursion checks independent of the dispatcher's threads, and short enough that unwinding the
/// deepest recursion the budget allows takes milliseconds.
/// </summary>
internal sealed class CustomCodeExecutor : IDisposable
{
    private const int StackSize = 1024 * 1024;
    private readonly SemaphoreSlim _start = new(0);
    private readonly ManualResetEventSlim _done = new(initialState: true);
    private readonly OverrunSteps _overruns;
    private Action? _job;
    private volatile bool _stopping;
    private volatile bool _overran;

    public CustomCodeExecutor(string name, OverrunSteps overruns)
    {
        _overruns = overruns;
        var thread = new Thread(Loop, StackSize) { IsBackground = true, Name = name };
        thread.Start();
    }

    /// <summary>A step is running (or overran the hard limit and is still running).</summary>
    public bool IsBusy => !_done.IsSet;

    /// <summary>Runs <paramref name="job"/> on this executor's thread; true when it finished within <paramref name="limit"/>.</summary>
    public bool Run(Action job, TimeSpan limit)
    {
        ObjectDisposedException.ThrowIf(_stopping, this);
        if (IsBusy)
        {
            throw new InvalidOperationException("a step is still running");
        }

        _job = job;
        _overran = false;
        _done.Reset();
        _start.Release();
        if (_done.Wait(limit))
        {
            return true;
        }

        // Counted until the step returns; the thread's own finally may already have run (then it was never counted).
        lock (this)
        {
            if (!_done.IsSet)
            {
                _overran = true;
                _overruns.Started();
            }
        }

        return false;
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
                job();
            }
            catch (Exception)
            {
                // A step reports its own failures; nothing thrown past it may end this thread (and the process with it).
            }
            finally
            {
                _job = null;
                lock (this)
                {
                    if (_overran)
                    {
                        _overran = false;
                        _overruns.Ended();
                    }

                    _done.Set();
                }
            }
        }
    }
}

/// <summary>
/// How many custom-code steps of a node overran their hard limit and are still running on their own threads: each burns a
/// core until its library call returns, so past <see cref="Max"/> no new <c>CUSTOM_EXEC</c> step starts on the node.
/// </summary>
public sealed class OverrunSteps
{
    public const int Max = 4;
    private int _running;

    public int Running => Volatile.Read(ref _running);

    public bool Exhausted => Running >= Max;

    internal void Started() => Interlocked.Increment(ref _running);

    internal void Ended() => Interlocked.Decrement(ref _running);
}
