using System.Collections;

namespace Naeural.Actors.Plugins.CustomCode;

/// <summary>
/// What the instrumenter hands library calls instead of the code's own collections and comparisons: a sequence that checks
/// the budget on every element pulled from it (<see cref="CustomCodeBudget.Each{T}"/>), and a comparer that checks it on
/// every comparison (<see cref="CustomCodeBudget.Comparer{T}"/>). So a LINQ call over a collection, however it combines its
/// inputs (a join's pairs, a sort's comparisons, a maximum over long strings), never runs more than one element's or one
/// comparison's work between two checks.
/// </summary>
public sealed partial class CustomCodeBudget
{
    /// <summary><paramref name="source"/>, checking the budget before each element is pulled (null stays null: the library refuses it).</summary>
    public IEnumerable<T> Each<T>(IEnumerable<T> source, int line, int column) =>
        source is null ? null! : new TickingSequence<T>(this, source, line, column);

    /// <summary>The non-generic <see cref="Each{T}"/>, for a library parameter typed <see cref="IEnumerable"/>.</summary>
    public IEnumerable EachUntyped(IEnumerable source, int line, int column) =>
        source is null ? null! : new TickingUntypedSequence(this, source, line, column);

    /// <summary>The default comparison of <typeparamref name="T"/>, checking the budget before each comparison.</summary>
    public IComparer<T> Comparer<T>(int line, int column) => new TickingComparer<T>(this, line, column);

    private sealed class TickingSequence<T>(CustomCodeBudget budget, IEnumerable<T> source, int line, int column) : IEnumerable<T>
    {
        public IEnumerator<T> GetEnumerator()
        {
            budget.Tick(line, column);
            return new Enumerator(budget, source.GetEnumerator(), line, column);
        }

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

        private sealed class Enumerator(CustomCodeBudget budget, IEnumerator<T> inner, int line, int column) : IEnumerator<T>
        {
            public T Current => inner.Current;

            object? IEnumerator.Current => inner.Current;

            public bool MoveNext()
            {
                budget.Tick(line, column);
                return inner.MoveNext();
            }

            public void Reset() => inner.Reset();

            public void Dispose() => inner.Dispose();
        }
    }

    private sealed class TickingUntypedSequence(CustomCodeBudget budget, IEnumerable source, int line, int column) : IEnumerable
    {
        public IEnumerator GetEnumerator()
        {
            budget.Tick(line, column);
            return new Enumerator(budget, source.GetEnumerator(), line, column);
        }

        private sealed class Enumerator(CustomCodeBudget budget, IEnumerator inner, int line, int column) : IEnumerator
        {
            public object? Current => inner.Current;

            public bool MoveNext()
            {
                budget.Tick(line, column);
                return inner.MoveNext();
            }

            public void Reset() => inner.Reset();
        }
    }

    private sealed class TickingComparer<T>(CustomCodeBudget budget, int line, int column) : IComparer<T>
    {
        private readonly IComparer<T> _inner = System.Collections.Generic.Comparer<T>.Default;

        public int Compare(T? x, T? y)
        {
            budget.Tick(line, column);
            return _inner.Compare(x!, y!);
        }
    }
}
