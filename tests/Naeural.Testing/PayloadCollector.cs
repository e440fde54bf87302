using System.Collections.Concurrent;
using Naeural.Actors.Client;
using Naeural.Actors.Pipelines;

namespace Naeural.Testing;

/// <summary>Collects what a subscription delivers, for assertions.</summary>
public sealed class PayloadCollector
{
    private readonly ConcurrentQueue<ReceivedPayload> _payloads = new();
    private readonly ConcurrentQueue<PipelineNotification> _notifications = new();

    public IReadOnlyList<ReceivedPayload> Payloads => _payloads.ToArray();

    public IReadOnlyList<PipelineNotification> Notifications => _notifications.ToArray();

    /// <summary>The sequence number of the last payload delivered (0 before the first): where a new subscription resumes.</summary>
    public long LastSequence => _payloads.LastOrDefault()?.Sequence ?? 0;

    public void OnPayload(ReceivedPayload payload) => _payloads.Enqueue(payload);

    public void OnNotification(PipelineNotification notification) => _notifications.Enqueue(notification);

    public Task<PayloadSubscription> SubscribeAsync(NaeuralClient client, string pipeline, long after = 0) =>
        client.SubscribeAsync(pipeline, OnPayload, after, OnNotification);

    /// <summary>
    /// What breaks "every sequence number exactly once, in order, from <paramref name="first"/>, each verified" in what was
    /// delivered to the callback (across every subscription that fed this collector): gaps (numbers never delivered),
    /// repeats and steps back, unverified payloads, or nothing at all. Empty when delivery was exactly right.
    /// </summary>
    public IReadOnlyList<string> DeliveryProblems(long first = 1)
    {
        var payloads = Payloads;
        if (payloads.Count == 0)
        {
            return ["nothing delivered"];
        }

        var problems = new List<string>();
        var expected = first;
        foreach (var payload in payloads)
        {
            if (payload.Sequence > expected)
            {
                problems.Add($"#{expected}..#{payload.Sequence - 1} never delivered (gap before #{payload.Sequence})");
            }
            else if (payload.Sequence < expected)
            {
                problems.Add($"#{payload.Sequence} delivered again after #{expected - 1}");
            }

            if (!payload.Verified)
            {
                problems.Add($"#{payload.Sequence} not verified (signer {payload.Signer ?? "none"})");
            }

            expected = Math.Max(expected, payload.Sequence + 1);
        }

        return problems;
    }
}
