using Akka.Actor;
using Naeural.Actors.Client;
using Naeural.Benchmarks.Kernel;

namespace Naeural.Benchmarks.Pipelines;

/// <summary>The two runs the payload benchmarks compare: raw one-way shard-region messages, and a pipeline's payloads end to end.</summary>
public static class PayloadRuns
{
    /// <summary>Sends <paramref name="count"/> ticks through <paramref name="region"/> to one entity and waits until it counted them.</summary>
    public static async Task RawAsync(IActorRef region, string entity, int count)
    {
        var reached = region.Ask<Reached>(new CountTo(entity, count), TimeSpan.FromSeconds(60));
        for (var i = 0; i < count; i++)
        {
            region.Tell(new Tick(entity));
        }

        await reached;
    }

    /// <summary>
    /// Deploys an unthrottled sensor → PASS_THROUGH pipeline of <paramref name="count"/> frames (with <paramref name="placement"/>
    /// when given), waits until the subscriber has payload number <paramref name="count"/>, then archives it.
    /// </summary>
    public static async Task PipelineAsync(NaeuralClient client, string name, int count, string? placement = null)
    {
        var all = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var subscription = await client.SubscribeAsync(name, p =>
        {
            if (p.Sequence == count)
            {
                all.TrySetResult();
            }
        });
        var placed = placement is null ? "" : $""" "PLACEMENT": {placement},""";
        await client.DeployAsync($$"""
            { "NAME": "{{name}}", "TYPE": "SyntheticSensor", "CAP_RESOLUTION": 0, "MAX_FRAMES": {{count}},{{placed}}
              "PLUGINS": [ { "SIGNATURE": "PASS_THROUGH", "INSTANCES": [ { "INSTANCE_ID": "all" } ] } ] }
            """);
        await all.Task.WaitAsync(TimeSpan.FromMinutes(3));
        await client.ArchiveAsync(name);
    }
}
