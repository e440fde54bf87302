using Akka.Actor;
using Naeural.Actors.Pipelines;

namespace Naeural.Actors.Capture;

/// <summary><c>Void</c>: a source that captures nothing, for pipelines whose plugins run on schedule.</summary>
public sealed class VoidCapture(JsonConfig config, IActorRef pipeline) : CaptureActor(config, pipeline)
{
    public static void Validate(ConfigReader config) => ReadPolicy(config, ReconnectPolicy.Yes);

    public static Props Props(JsonConfig config, IActorRef pipeline) =>
        Akka.Actor.Props.Create(() => new VoidCapture(config, pipeline));

    protected override void Open()
    {
    }

    protected override void Close()
    {
    }
}
