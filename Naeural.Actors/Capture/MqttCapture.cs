using System.Collections.Immutable;
using System.Net;
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
/// The broker must be on the node's MQTT allow-list (<see cref="NetworkAllowList"/>): checked when the spec is validated, and
/// when connecting, where the host is resolved and the client connects to the allowed address it resolved to.
/// </summary>
public sealed class MqttCapture : CaptureActor
{
    private readonly Uri _broker;
    private readonly string _topic;
    private readonly MqttQualityOfServiceLevel _qos;
    private readonly SourceAccess _access;
    private IMqttClient? _client;
    private int _generation;
    private long _skipped;

    public MqttCapture(JsonConfig config, IActorRef pipeline, SourceAccess access)
        : base(config, pipeline)
    {
        _access = access;
        _broker = new Uri(Config.String("URL")!);
        _topic = Config.String("TOPIC")!;
        _qos = (MqttQualityOfServiceLevel)Config.Integer("QOS", 1);
        // Messages carry the connection they came from: late ones from a replaced connection are ignored.
        Receive<MqttConnected>(m => m.Generation == _generation, _ => Connected());
        Receive<MqttLost>(m => m.Generation == _generation && _client is not null, lost => Failed(lost.Reason));
        Receive<MqttRefused>(m => m.Generation == _generation && _client is not null, refused => Refused(refused.Reason));
        Receive<MqttRefused>(_ => { });
        Receive<MqttFrames>(m => m.Generation == _generation, m => Emit(m.Frames, DateTimeOffset.UtcNow));
        Receive<MqttConnected>(_ => { });
        Receive<MqttLost>(_ => { });
        Receive<MqttFrames>(_ => { });
        Receive<MqttSkipped>(m =>
        {
            if (_skipped++ % 1000 == 0)
            {
                Log.Warning("Skipped MQTT message that is not a JSON frame ({Skipped} so far): {Reason}", _skipped, m.Reason);
            }
        });
    }

    protected override bool ConnectsAsynchronously => true;

    public static void Validate(ConfigReader config, SourceAccess access)
    {
        var url = config.String("URL", required: true);
        Uri? uri = null;
        if (url is not null && (!Uri.TryCreate(url, UriKind.Absolute, out uri) || uri.Scheme != "mqtt" || uri.Port <= 0))
        {
            config.Error("URL", "must be a broker address such as mqtt://127.0.0.1:1883");
        }
        else if (uri is not null && access.MqttBrokers.Refusal("MQTT broker", uri.Host, uri.Port) is { } refusal)
        {
            config.Error("URL", refusal);
        }

        config.String("TOPIC", required: true);
        config.Integer("QOS", 1, min: 0, max: 2);
        ReadPolicy(config, ReconnectPolicy.Yes);
    }

    public static Props Props(JsonConfig config, IActorRef pipeline, SourceAccess access) =>
        Akka.Actor.Props.Create(() => new MqttCapture(config, pipeline, access));

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
        IPEndPoint broker;
        try
        {
            broker = await _access.MqttBrokers.ResolveAsync("MQTT broker", _broker.Host, _broker.Port);
        }
        catch (SourceRefusedException e)
        {
            self.Tell(new MqttRefused(generation, e.Message));
            return;
        }

        try
        {
            var options = new MqttClientOptionsBuilder()
                .WithTcpServer(broker.Address.ToString(), broker.Port)
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

    private sealed record MqttRefused(int Generation, string Reason);

    private sealed record MqttFrames(int Generation, ImmutableArray<(ImmutableDictionary<string, double> Values, ImmutableDictionary<string, string> Meta)> Frames);

    private sealed record MqttSkipped(string Reason);
}
