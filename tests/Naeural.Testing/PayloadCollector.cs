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

    public void OnPayload(ReceivedPayload payload) => _payloads.Enqueue(payload);

    public void OnNotification(PipelineNotification notification) => _notifications.Enqueue(notification);

    public Task<PayloadSubscription> SubscribeAsync(NaeuralClient client, string pipeline, long after = 0) =>
        client.SubscribeAsync(pipeline, OnPayload, after, OnNotification);
}
