namespace Naeural.Inference.Serving;

/// <summary>How a model server batches and how many workers it runs.</summary>
public sealed record ModelServerSettings
{
    /// <summary>The most samples in one forward pass (the original's <c>MAX_BATCH</c>).</summary>
    public int MaxBatch { get; init; } = 32;

    /// <summary>How long the first waiting request may wait for others to join its batch (<c>MAX_WAIT_MS</c>).</summary>
    public TimeSpan MaxWait { get; init; } = TimeSpan.FromMilliseconds(2);

    /// <summary>Worker actors, each with its own copy of the model on its own thread.</summary>
    public int Workers { get; init; } = 1;

    /// <summary>Torch intra-op threads per worker (workers × threads ≈ cores is a good start).</summary>
    public int ThreadsPerWorker { get; init; } = Math.Max(1, Environment.ProcessorCount);

    /// <summary>A server with no request for this long stops (and frees its model).</summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Half precision on GPU (ignored on CPU).</summary>
    public bool HalfPrecisionOnGpu { get; init; }

    /// <summary>Weights file per model name; models without one keep their seeded initialisation.</summary>
    public IReadOnlyDictionary<string, string> Weights { get; init; } = new Dictionary<string, string>();

    /// <summary>A node's data folder: a model not in <see cref="Weights"/> is looked up in its <c>models/</c> when its server starts.</summary>
    public string? DataDirectory { get; init; }

    public string? WeightsFor(string model) =>
        Weights.GetValueOrDefault(model) ?? (DataDirectory is null ? null : Models.ModelFiles.FindOne(DataDirectory, model));
}
