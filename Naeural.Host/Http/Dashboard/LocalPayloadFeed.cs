using System.Text.Json.Nodes;
using System.Threading.Channels;
using Akka.Actor;
using Naeural.Actors.Payloads;

namespace Naeural.Host.Http.Dashboard;

/// <summary>
/// The dashboard's live feed, one per open page: watches this node's event stream for payloads its outboxes persisted
/// (<see cref="LocalPayloadsStored"/>) and queues a short summary of some of them (at most <see cref="MaxPerSecond"/> a
/// second, the rest counted as skipped; <c>DATA</c> cut to <see cref="MaxDataChars"/> characters). Node-local: the payloads
/// of pipelines running on other nodes are not in it.
/// </summary>
internal sealed class LocalPayloadFeed : ReceiveActor, IWithTimers
{
    public const int MaxPerSecond = 10;
    public const int MaxDataChars = 160;

    private readonly ChannelWriter<ServerSentEvent> _events;
    private int _budget = MaxPerSecond;
    private long _skipped;

    public LocalPayloadFeed(ChannelWriter<ServerSentEvent> events)
    {
        _events = events;
        Receive<LocalPayloadsStored>(stored =>
        {
            foreach (var payload in stored.Payloads)
            {
                if (_budget == 0)
                {
                    _skipped++;
                    continue;
                }

                _budget--;
                _events.TryWrite(new ServerSentEvent("payload", Summary(payload, _skipped)));
                _skipped = 0;
            }
        });
        Receive<Refill>(_ => _budget = MaxPerSecond);
        Receive<KeepAliveTick>(_ => _events.TryWrite(ServerSentEvent.KeepAlive));
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(ChannelWriter<ServerSentEvent> events) => Akka.Actor.Props.Create(() => new LocalPayloadFeed(events));

    protected override void PreStart()
    {
        Context.System.EventStream.Subscribe(Self, typeof(LocalPayloadsStored));
        Timers.StartPeriodicTimer(Refill.Instance, Refill.Instance, TimeSpan.FromSeconds(1));
        Timers.StartPeriodicTimer(KeepAliveTick.Instance, KeepAliveTick.Instance, ServerSentEvents.KeepAliveInterval);
    }

    protected override void PostStop()
    {
        Context.System.EventStream.Unsubscribe(Self);
        _events.TryComplete();
    }

    private static string Summary(PayloadDelivered payload, long skippedBefore)
    {
        var json = JsonNode.Parse(payload.SignedJson) as JsonObject;
        var path = json?[PayloadFormat.PathField] as JsonArray;
        var data = json?[PayloadFormat.DataField]?.ToJsonString() ?? "null";
        return new JsonObject
        {
            ["pipeline"] = payload.PipelineId,
            ["sequence"] = payload.Sequence,
            ["signature"] = path?.Count > 2 ? path[2]?.DeepClone() : null,
            ["instance"] = path?.Count > 3 ? path[3]?.DeepClone() : null,
            ["time"] = json?[PayloadFormat.TimestampField]?.DeepClone(),
            ["data"] = data.Length > MaxDataChars ? data[..MaxDataChars] + "…" : data,
            ["skippedBefore"] = skippedBefore,
        }.ToJsonString();
    }

    private sealed record Refill
    {
        public static Refill Instance { get; } = new();
    }

    private sealed record KeepAliveTick
    {
        public static KeepAliveTick Instance { get; } = new();
    }
}
