using System.Collections.Immutable;
using Akka.Actor;
using Akka.Event;
using MQTTnet;
using MQTTnet.Protocol;
using Naeural.Actors.Pipelines;

namespace Naeural.Actors.Capture;

/// <summary>
/// <c>MqttListener</c>: subscribes to <c>TOPIC</c> on the broker at <c>URL</c> (<c>mqtt://host:port</c>) and turns each JSON
/// message (an object or an array of objects) into frames. A lost connection is a failure: <c>RECONNECTABLE</c> decides.
/// Messages that are not JSON frames are skipped and counted. While the pipeline applies back-pressure, messages are
/// still taken from the broker (MQTT can't be paused) and the plugin instances' bounded queues count what they drop.
/// </summary>
public sealed class MqttCapture : CaptureActor
{
    private readonly Uri _broker;
    private readonly string _topic;
    private readonly MqttQualityOfServiceLevel _qos;
    private IMqttClient? _client;
    private int _generation;
    private long _skipped;

    public MqttCapture(JsonConfig config, IActorRef pipeline)
        : base(config, pipeline)
    {
        _broker = new Uri(Config.String("URL")!);
        _topic = Config.String("TOPIC")!;
        _qos = (MqttQualityOfServiceLevel)Config.Integer("QOS", 1);
        // Messages carry the connection they came from: late ones from a replaced connection are ignored.
        Receive<MqttConnected>(m => m.Generation == _generation, _ => Connected());
        Receive<MqttLost>(m => m.Generation == _generation && _client is not null, lost => Failed(lost.Reason));
        Receive<MqttFrames>(m => m.Generation == _generation, m => Emit(m.Frames, DateTimeOffset.UtcNow));
        Receive<MqttConnected>(_ => { });
        Receive<MqttLost>(_ => { });
        Receive<MqttFrames>(_ => { });
        Receive<MqttSkipped>(m =>
        {
            if (_skipped++ % 1000 == 0)
            {
                Log.Warning("Skipped MQTT message that is not a JSON frame ({0} so far): {1}", _skipped, m.Reason);
            }
        });
    }

    protected override bool ConnectsAsynchronously => true;

    public static void Validate(ConfigReader config)
    {
        var url = config.String("URL", required: true);
        if (url is not null && (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme != "mqtt" || uri.Port <= 0))
        {
            config.Error("URL", "must be a broker address such as mqtt://127.0.0.1:1883");
        }

        config.String("TOPIC", required: true);
        config.Integer("QOS", 1, min: 0, max: 2);
        ReadPolicy(config, ReconnectPolicy.Yes);
    }

    public static Props Props(JsonConfig config, IActorRef pipeline) =>
        Akka.Actor.Props.Create(() => new MqttCapture(config, pipeline));

    protected override void Open()
    {
        var client = new MqttClientFactory().CreateMqttClient();
        var self = Self;
        var generation = ++_generation;
        client.ApplicationMessageReceivedAsync += e =>
        {
            try
            {
                self.Tell(new MqttFrames(generation, [.. FrameParser.FromJsonText(e.ApplicationMessage.ConvertPayloadToString())]));
            }
            catch (FormatException ex)
            {
                self.Tell(new MqttSkipped(ex.Message));
            }

            return Task.CompletedTask;
        };
        client.DisconnectedAsync += e =>
        {
            self.Tell(new MqttLost(generation, e.Exception?.Message ?? e.Reason.ToString()));
            return Task.CompletedTask;
        };
        _client = client;
        _ = ConnectAsync(client, self, generation);
    }

    protected override void Close()
    {
        var client = _client;
        _client = null;
        if (client is not null)
        {
            _ = client.DisconnectAsync().ContinueWith(_ => client.Dispose(), TaskScheduler.Default);
        }
    }

    private async Task ConnectAsync(IMqttClient client, IActorRef self, int generation)
    {
        try
        {
            var options = new MqttClientOptionsBuilder()
                .WithTcpServer(_broker.Host, _broker.Port)
                .WithClientId($"naeural-{Guid.NewGuid():N}")
                .WithCleanSession()
                .WithTimeout(TimeSpan.FromSeconds(5))
                .Build();
            await client.ConnectAsync(options);
            await client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder().WithTopicFilter(_topic, _qos).Build());
            self.Tell(new MqttConnected(generation));
        }
        catch (Exception e)
        {
            self.Tell(new MqttLost(generation, $"cannot reach MQTT broker {_broker}: {e.Message}"));
        }
    }

    private sealed record MqttConnected(int Generation);

    private sealed record MqttLost(int Generation, string Reason);

    private sealed record MqttFrames(int Generation, ImmutableArray<(ImmutableDictionary<string, double> Values, ImmutableDictionary<string, string> Meta)> Frames);

    private sealed record MqttSkipped(string Reason);
}
