namespace Naeural.Actors.Vision;

/// <summary>
/// Greedy decoding of a CTC recogniser's output (PP-OCR's <c>CTCLabelDecode</c>): at each of its time steps the likeliest class;
/// repeats merged, the blank (class 0) dropped, the rest read through <c>labels</c> (class <c>i</c> is <c>labels[i]</c>). The
/// confidence is the mean probability of the classes kept.
/// </summary>
public static class CtcDecoding
{
    public static (string Text, float Confidence) Decode(ReadOnlySpan<float> probabilities, IReadOnlyList<string> labels)
    {
        var classes = labels.Count;
        if (classes < 2 || probabilities.Length % classes != 0)
        {
            throw new ArgumentException($"{probabilities.Length} values are not whole steps of {classes} classes", nameof(probabilities));
        }

        var text = new System.Text.StringBuilder();
        var (sum, kept, previous) = (0f, 0, -1);
        for (var step = 0; step < probabilities.Length / classes; step++)
        {
            var row = probabilities.Slice(step * classes, classes);
            var best = 0;
            for (var c = 1; c < classes; c++)
            {
                if (row[c] > row[best])
                {
                    best = c;
                }
            }

            if (best != 0 && best != previous)
            {
                text.Append(labels[best]);
                sum += row[best];
                kept++;
            }

            previous = best;
        }

        return (text.ToString(), kept == 0 ? 0 : sum / kept);
    }
}
