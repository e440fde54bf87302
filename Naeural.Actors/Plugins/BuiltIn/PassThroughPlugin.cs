using Naeural.Actors.Capture;
using Naeural.Actors.Pipelines;

namespace Naeural.Actors.Plugins.BuiltIn;

/// <summary><c>PASS_THROUGH</c>: one payload per frame, carrying the frame. The cheapest plugin: what the throughput benchmark runs.</summary>
public sealed class PassThroughPlugin : IBusinessPlugin, IPluginDefinition
{
    public static string Signature => "PASS_THROUGH";

    public static string Description => "Emits every frame as a payload";

    public static void Validate(ConfigReader config)
    {
    }

    public void Process(IReadOnlyList<Frame> frames, PluginContext context)
    {
        foreach (var frame in frames)
        {
            context.Emit(frame.ToJson());
        }
    }
}
