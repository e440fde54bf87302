using Akka.Actor;
using Naeural.Actors.Inference;

namespace Naeural.Benchmarks.Inference;

/// <summary>Keeps <paramref name="inFlight"/> requests outstanding against a model server until <paramref name="total"/> are answered.</summary>
public sealed class InferenceLoad : ReceiveActor
{
    private long _sent;
    private long _answered;

    public InferenceLoad(IActorRef server, string model, float[][] inputs, int inFlight, long total, TaskCompletionSource done)
    {
        Receive<Start>(_ =>
        {
            for (var i = 0; i < inFlight && _sent < total; i++)
            {
                server.Tell(new Infer(model, inputs[_sent % inputs.Length], CorrelationId: _sent++));
            }
        });
        Receive<InferenceResult>(_ =>
        {
            if (++_answered == total)
            {
                done.TrySetResult();
            }
            else if (_sent < total)
            {
                server.Tell(new Infer(model, inputs[_sent % inputs.Length], CorrelationId: _sent++));
            }
        });
        Receive<InferenceFailed>(f => done.TrySetException(new InvalidOperationException(f.Reason)));
    }

    public static Props Props(IActorRef server, string model, float[][] inputs, int inFlight, long total, TaskCompletionSource done) =>
        Akka.Actor.Props.Create(() => new InferenceLoad(server, model, inputs, inFlight, total, done));

    public sealed record Start
    {
        public static Start Instance { get; } = new();
    }
}
