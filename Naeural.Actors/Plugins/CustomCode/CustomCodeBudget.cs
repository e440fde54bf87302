using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace Naeural.Actors.Plugins.CustomCode;

/// <summary>
/// The bounds of one process step of custom code: time (<c>MAX_EXEC_MS</c>), memory allocated by its thread
/// (<c>MAX_ALLOC_MB</c>) and stack. The instrumenter calls <see cref="Tick"/> at the top of every loop body, lambda, local
/// function and catch block, and <see cref="NewArray{T}(long, int, int)"/> for every sized array creation. Once a bound is
/// broken the budget stays broken: every later tick throws again, so a <c>catch</c> in the code can't swallow it.
/// Not on the custom code allow-list (the code can't name it), and only the instrumented code holds it.
/// </summary>
public sealed partial class CustomCodeBudget
{
    private static readonly long TicksPerMillisecond = Stopwatch.Frequency / 1000;
    private long _deadline = long.MaxValue;
    private long _allocationStart;
    private long _allocationLimit = long.MaxValue;
    private int _maxExecMs;
    private int _maxAllocMb;

    /// <summary>What broke the budget, with the code's line:column where it was noticed; null while within bounds.</summary>
    public string? Violation { get; private set; }

    /// <summary>Starts a step on the calling thread (the one that will run the code).</summary>
    internal void Start(int maxExecMs, int maxAllocMb)
    {
        _maxExecMs = maxExecMs;
        _maxAllocMb = maxAllocMb;
        Violation = null;
        _deadline = Stopwatch.GetTimestamp() + maxExecMs * TicksPerMillisecond;
        _allocationLimit = maxAllocMb * 1024L * 1024L;
        _allocationStart = GC.GetAllocatedBytesForCurrentThread();
    }

    /// <summary>Checks every bound; throws (and stays broken) when one is exceeded.</summary>
    public void Tick(int line, int column)
    {
        if (Violation is not null)
        {
            throw new CustomCodeViolationException(Violation);
        }

        if (Stopwatch.GetTimestamp() > _deadline)
        {
            Fail(line, column, $"exceeded MAX_EXEC_MS {_maxExecMs} ms");
        }

        if (GC.GetAllocatedBytesForCurrentThread() - _allocationStart > _allocationLimit)
        {
            Fail(line, column, $"exceeded MAX_ALLOC_MB {_maxAllocMb} MB");
        }

        if (!RuntimeHelpers.TryEnsureSufficientExecutionStack())
        {
            Fail(line, column, "recursion too deep (stack limit)");
        }
    }

    /// <summary>Whether a catch in the code may handle what was thrown: only while the budget holds.</summary>
    public bool CanCatch() => Violation is null;

    /// <summary><c>new T[length]</c>, refused before allocating when it would take the step past <c>MAX_ALLOC_MB</c>.</summary>
    public T[] NewArray<T>(long length, int line, int column)
    {
        Tick(line, column);
        Reserve(length, Unsafe.SizeOf<T>(), typeof(T).Name, $"[{length}]", line, column);
        return new T[length];
    }

    /// <inheritdoc cref="NewArray{T}(long, int, int)"/>
    public T[] NewArray<T>(ulong length, int line, int column) =>
        length > long.MaxValue ? throw new OverflowException("array size too large") : NewArray<T>((long)length, line, column);

    /// <summary><c>new T[rows, columns]</c>, refused before allocating like <see cref="NewArray{T}(long, int, int)"/>.</summary>
    public T[,] NewArray2<T>(long rows, long columns, int line, int column)
    {
        Tick(line, column);
        if (rows < 0 || columns < 0)
        {
            throw new OverflowException("negative array size");
        }

        var cells = rows == 0 || columns <= long.MaxValue / rows ? rows * columns : long.MaxValue;
        Reserve(cells, Unsafe.SizeOf<T>(), typeof(T).Name, $"[{rows}, {columns}]", line, column);
        return new T[rows, columns];
    }

    /// <summary>A bound the API enforces itself (payload count, state size): recorded like any other violation, and thrown.</summary>
    internal void Fail(int line, int column, string what)
    {
        Violation ??= line > 0 ? $"{line}:{column}: {what}" : what;
        throw new CustomCodeViolationException(Violation);
    }

    /// <summary>Records a violation found after the code returned (time or memory past the bound since the last tick).</summary>
    internal void CheckAfterStep()
    {
        if (Violation is not null)
        {
            return;
        }

        if (Stopwatch.GetTimestamp() > _deadline)
        {
            Violation = $"exceeded MAX_EXEC_MS {_maxExecMs} ms";
        }
        else if (GC.GetAllocatedBytesForCurrentThread() - _allocationStart > _allocationLimit)
        {
            Violation = $"exceeded MAX_ALLOC_MB {_maxAllocMb} MB";
        }
    }

    private void Reserve(long count, int elementSize, string elementName, string shape, int line, int column)
    {
        if (count < 0)
        {
            return; // new T[-1] throws OverflowException itself
        }

        var bytes = count > (long.MaxValue - 64) / Math.Max(1, elementSize) ? long.MaxValue : count * elementSize + 32;
        var used = GC.GetAllocatedBytesForCurrentThread() - _allocationStart;
        if (bytes > _allocationLimit - used)
        {
            Fail(line, column, $"new {elementName}{shape} ({FormatMb(bytes)}) exceeds MAX_ALLOC_MB {_maxAllocMb} MB");
        }
    }

    private static string FormatMb(long bytes) => bytes == long.MaxValue
        ? "too large"
        : string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024.0):0.#} MB");
}

/// <summary>A custom code bound was broken. Internal: the code can't name it (it can only catch <see cref="Exception"/>, which rethrows).</summary>
internal sealed class CustomCodeViolationException(string message) : Exception(message);
