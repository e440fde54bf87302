using Akka.Actor;
using Akka.Configuration;

namespace Naeural.Benchmarks.Network;

/// <summary>
/// Checks <see cref="ByteCountingTransportAdapter"/> against traffic of known size before it is trusted: two plain actor
/// systems on loopback, one sends a number of byte arrays of a known length to an actor on the other, and the counters of
/// both must show at least that many bytes, plus a small per-message envelope (recipient path, serializer id, acks).
/// </summary>
public static class ByteCountCalibration
{
    public sealed record Result(int Messages, int MessageBytes, TransportSnapshot Sender, TransportSnapshot Receiver)
    {
        public long Payload => (long)Messages * MessageBytes;

        /// <summary>Bytes the sender wrote beyond the payload, per message (envelopes, acks, the association's own frames).</summary>
        public double OverheadPerMessage => (Sender.SentBytes - Payload) / (double)Messages;

        public bool Plausible => Sender.SentBytes >= Payload && Receiver.ReceivedBytes >= Payload && OverheadPerMessage < 1_000
            && Math.Abs(Sender.SentBytes - Receiver.ReceivedBytes) < 1_000; // equal but for a frame in flight at a window's edge
    }

    public static async Task<Result> RunAsync(int messages = 200, int messageBytes = 10_000)
    {
        using var sender = Start("calibration-sender");
        using var receiver = Start("calibration-receiver");
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        receiver.ActorOf(Props.Create(() => new Sink(messages, done)), "sink");
        var address = ((ExtendedActorSystem)receiver).Provider.DefaultAddress;
        var sink = await sender.ActorSelection($"{address}/user/sink").ResolveOne(TimeSpan.FromSeconds(10));
        await Task.Delay(500); // let the association's handshake and first acks pass before the window opens

        var (sent0, received0) = (TransportCounters.For(sender).Read(), TransportCounters.For(receiver).Read());
        var payload = new byte[messageBytes];
        for (var i = 0; i < messages; i++)
        {
            sink.Tell(payload);
        }

        await done.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await Task.Delay(500); // the last frames are counted on the reader's side when they arrive, already done; acks settle
        var result = new Result(messages, messageBytes, TransportCounters.For(sender).Read() - sent0, TransportCounters.For(receiver).Read() - received0);
        await Task.WhenAll(sender.Terminate(), receiver.Terminate());
        return result;
    }

    private static ActorSystem Start(string name) => ActorSystem.Create(name, ConfigurationFactory.ParseString($$"""
        akka.actor.provider = remote
        akka.remote.dot-netty.tcp { hostname = "127.0.0.1", port = 0 }
        akka.loglevel = WARNING
        {{ByteCountingTransportAdapter.Hocon}}
        """));

    private sealed class Sink : ReceiveActor
    {
        public Sink(int expected, TaskCompletionSource done)
        {
            var seen = 0;
            Receive<byte[]>(_ =>
            {
                if (++seen == expected)
                {
                    done.TrySetResult();
                }
            });
        }
    }
}
