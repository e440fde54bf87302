using Akka.Configuration;

namespace Naeural.Inference.Serving;

/// <summary>The actor-system settings inference needs: a pinned thread per <see cref="TorchWorker"/>.</summary>
public static class InferenceConfig
{
    public static Config Hocon { get; } = ConfigurationFactory.ParseString($$"""
        {{TorchWorker.Dispatcher}} {
          type = PinnedDispatcher
          executor = thread-pool-executor
        }
        """);
}
