using Akka.Hosting;
using Naeural.Actors.Inference;
using Naeural.Inference.Models;
using Naeural.Inference.Serving;

namespace Naeural.Inference.Hosting;

/// <summary>
/// Inference's part of a node's actor system, registered by inference itself: the pinned dispatcher its TorchSharp workers
/// run on and the node's <see cref="InferenceService"/> (its model servers and their pooled workers are its children),
/// registered under <see cref="InferenceService"/> and under the kernel's <see cref="InferenceEndpoint"/>, which is how
/// plugin instances find it without knowing TorchSharp. Register after <c>AddNaeuralKernel</c>: the service tells the
/// node's heartbeat which models it serves, and its servers report work to the node's meter.
/// </summary>
public static class InferenceHosting
{
    public static AkkaConfigurationBuilder AddNaeuralInference(this AkkaConfigurationBuilder builder, ModelCatalogue models, ModelServerSettings settings) =>
        builder
            .AddHocon(InferenceConfig.Hocon, HoconAddMode.Append)
            .WithActors((system, registry) =>
            {
                var service = system.ActorOf(InferenceService.Props(models, settings), InferenceService.Name);
                registry.Register<InferenceService>(service);
                registry.TryRegister(typeof(InferenceEndpoint), service);
            });
}
