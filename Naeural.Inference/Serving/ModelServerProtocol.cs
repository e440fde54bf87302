using System.Collections.Immutable;

namespace Naeural.Inference.Serving;

/// <summary>Asks a model server for its counters.</summary>
public sealed record GetModelServerStats
{
    public static GetModelServerStats Instance { get; } = new();
}

/// <summary>A model server's counters: requests answered, forward passes run, the largest batch, requests that shared an inference.</summary>
public sealed record ModelServerStats(string Model, string Device, int Workers, long Requests, long Batches, int LargestBatch, long Shared, long Failed);

/// <summary>Server → worker: run these samples as one batch.</summary>
public sealed record RunBatch(long BatchId, ImmutableArray<float[]> Inputs);

/// <summary>Worker → server: outputs in input order.</summary>
public sealed record BatchDone(long BatchId, ImmutableArray<float[]> Outputs);

/// <summary>Worker → server: the batch failed (the worker is restarted after saying so).</summary>
public sealed record BatchFailed(long BatchId, string Reason);

/// <summary>Worker → server: the model is loaded, send work.</summary>
public sealed record WorkerReady(string Device);

/// <summary>Worker → server: the model could not be loaded (bad weights): every request fails with this reason.</summary>
public sealed record WorkerLoadFailed(string Reason);

/// <summary>
/// A model server tells its <see cref="InferenceService"/> it is done (idle, or no worker can serve): the service sends no more
/// requests to it and stops it after what is already in its mailbox, which it hands back to the service for a fresh server.
/// </summary>
public sealed record ModelServerRetiring(string Model);
