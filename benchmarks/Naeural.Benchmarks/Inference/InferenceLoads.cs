using Akka.Actor;

namespace Naeural.Benchmarks.Inference;

/// <summary>Drives a model server the way the inference benchmarks measure it.</summary>
public static class InferenceLoads
{
    /// <summary>Runs <paramref name="total"/> requests against <paramref name="server"/>, <paramref name="inFlight"/> at a time.</summary>
    public static Task RunAsync(ActorSystem system, IActorRef server, string model, float[][] inputs, int inFlight, long total)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var load = system.ActorOf(InferenceLoad.Props(server, model, inputs, inFlight, total, done));
        load.Tell(InferenceLoad.Start.Instance);
        return done.Task.ContinueWith(t =>
        {
            system.Stop(load);
            t.GetAwaiter().GetResult();
        }, TaskScheduler.Default);
    }
}
