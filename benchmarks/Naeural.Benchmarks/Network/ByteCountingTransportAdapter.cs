using System.Runtime.CompilerServices;
using Akka.Actor;
using Akka.Remote.Transport;
using Google.Protobuf;

namespace Naeural.Benchmarks.Network;

/// <summary>
/// An Akka.Remote transport adapter that counts the bytes each actor system writes to and reads from its peers. It sits
/// between the driver (DotNetty TCP) and Akka's protocol layer, so it sees every PDU: user messages, cluster and DData
/// gossip, failure-detector heartbeats, pub-sub, system messages and acks, and the Akka protocol's own associate and
/// heartbeat frames. It counts the PDU bytes handed to the driver; the driver adds a 4-byte length prefix per frame
/// (counted as frames, not bytes), and TCP/IP headers are not seen at all.
/// Unlike Akka's <see cref="AbstractTransportAdapter"/> it adds no scheme to the addresses (<c>akka.tcp</c> stays
/// <c>akka.tcp</c>): nodes check their seeds' scheme, and a counter must not change what it counts.
/// Enable with <see cref="Hocon"/>; read with <see cref="TransportCounters.For"/>. For benchmarks only.
/// </summary>
public sealed class ByteCountingTransportAdapter : ITransportAdapterProvider
{
    public const string Name = "naeural-byte-counter";

    /// <summary>
    /// Applies the adapter to the TCP transport of the system this configures. No space after the comma: Akka.Remote 1.5.73
    /// reads <c>akka.remote.adapters</c> with the HOCON value's <c>ToString()</c>, which keeps the quotes of a value with a
    /// space in it ("The given assembly name was invalid").
    /// </summary>
    public static string Hocon { get; } = $$"""
        akka.remote.adapters {
          {{Name}} = "{{typeof(ByteCountingTransportAdapter).FullName}},{{typeof(ByteCountingTransportAdapter).Assembly.GetName().Name}}"
        }
        akka.remote.dot-netty.tcp.applied-adapters = [{{Name}}]
        """;

    public Transport Create(Transport wrappedTransport, ExtendedActorSystem system) =>
        new CountingTransport(wrappedTransport, system, TransportCounters.For(system));

    private sealed class CountingTransport : Transport
    {
        private readonly Transport _wrapped;
        private readonly TransportCounters _counters;

        public CountingTransport(Transport wrapped, ActorSystem system, TransportCounters counters)
        {
            _wrapped = wrapped;
            _counters = counters;
            System = system;
            Config = wrapped.Config;
            SchemeIdentifier = wrapped.SchemeIdentifier;
            MaximumPayloadBytes = wrapped.MaximumPayloadBytes;
        }

        public override async Task<(Address, TaskCompletionSource<IAssociationEventListener>)> Listen()
        {
            var (address, driverListener) = await _wrapped.Listen();
            var upstream = new TaskCompletionSource<IAssociationEventListener>(TaskCreationOptions.RunContinuationsAsynchronously);
            _ = upstream.Task.ContinueWith(t => t.IsCompletedSuccessfully
                    ? driverListener.TrySetResult(new CountingAssociationListener(t.Result, _counters))
                    : driverListener.TrySetCanceled(),
                TaskScheduler.Default);
            return (address, upstream);
        }

        public override bool IsResponsibleFor(Address remote) => _wrapped.IsResponsibleFor(remote);

        public override async Task<AssociationHandle> Associate(Address remoteAddress) =>
            new CountingHandle(await _wrapped.Associate(remoteAddress), _counters);

        public override Task<bool> Shutdown() => _wrapped.Shutdown();

        public override Task<bool> ManagementCommand(object message) => _wrapped.ManagementCommand(message);
    }

    /// <summary>Wraps each inbound association so that what is written back through it is counted too.</summary>
    private sealed class CountingAssociationListener(IAssociationEventListener upstream, TransportCounters counters) : IAssociationEventListener
    {
        public void Notify(IAssociationEvent ev) =>
            upstream.Notify(ev is InboundAssociation inbound ? new InboundAssociation(new CountingHandle(inbound.Association, counters)) : ev);
    }

    private sealed class CountingHandle : AssociationHandle
    {
        private readonly AssociationHandle _wrapped;
        private readonly TransportCounters _counters;

        public CountingHandle(AssociationHandle wrapped, TransportCounters counters) : base(wrapped.LocalAddress, wrapped.RemoteAddress)
        {
            _wrapped = wrapped;
            _counters = counters;
            // The layer above registers its reader here; the driver gets a reader that counts, then hands on.
            ReadHandlerSource = new TaskCompletionSource<IHandleEventListener>(TaskCreationOptions.RunContinuationsAsynchronously);
            _ = ReadHandlerSource.Task.ContinueWith(t => t.IsCompletedSuccessfully
                    ? _wrapped.ReadHandlerSource.TrySetResult(new CountingReader(t.Result, counters))
                    : _wrapped.ReadHandlerSource.TrySetCanceled(),
                TaskScheduler.Default);
        }

        public override bool Write(ByteString payload)
        {
            // false: the driver's buffer is full and the endpoint writer will retry the same PDU; count it once, when taken.
            if (!_wrapped.Write(payload))
            {
                return false;
            }

            _counters.Sent(payload.Length);
            return true;
        }

        // Akka marks this obsolete for callers (they log a reason first, then call it); an adapter only forwards it.
        [Obsolete("Forwarded to the wrapped handle; call Disassociate(reason, log).")]
        public override void Disassociate() => _wrapped.Disassociate();
    }

    private sealed class CountingReader(IHandleEventListener upstream, TransportCounters counters) : IHandleEventListener
    {
        public void Notify(IHandleEvent ev)
        {
            if (ev is InboundPayload payload)
            {
                counters.Received(payload.Payload.Length);
            }

            upstream.Notify(ev);
        }
    }
}

/// <summary>What one actor system's remoting wrote and read, counted by <see cref="ByteCountingTransportAdapter"/>.</summary>
public sealed class TransportCounters
{
    private static readonly ConditionalWeakTable<ActorSystem, TransportCounters> BySystem = new();
    private long _sentBytes;
    private long _sentFrames;
    private long _receivedBytes;
    private long _receivedFrames;

    /// <summary>The counters of <paramref name="system"/> (zero until its remoting starts with the adapter applied).</summary>
    public static TransportCounters For(ActorSystem system) => BySystem.GetValue(system, _ => new TransportCounters());

    public TransportSnapshot Read() => new(
        Interlocked.Read(ref _sentBytes), Interlocked.Read(ref _sentFrames),
        Interlocked.Read(ref _receivedBytes), Interlocked.Read(ref _receivedFrames));

    internal void Sent(int bytes)
    {
        Interlocked.Add(ref _sentBytes, bytes);
        Interlocked.Increment(ref _sentFrames);
    }

    internal void Received(int bytes)
    {
        Interlocked.Add(ref _receivedBytes, bytes);
        Interlocked.Increment(ref _receivedFrames);
    }
}

/// <summary>Counters at one moment; subtract two to get a window's traffic.</summary>
public sealed record TransportSnapshot(long SentBytes, long SentFrames, long ReceivedBytes, long ReceivedFrames)
{
    public static TransportSnapshot operator -(TransportSnapshot later, TransportSnapshot earlier) => new(
        later.SentBytes - earlier.SentBytes, later.SentFrames - earlier.SentFrames,
        later.ReceivedBytes - earlier.ReceivedBytes, later.ReceivedFrames - earlier.ReceivedFrames);
}
