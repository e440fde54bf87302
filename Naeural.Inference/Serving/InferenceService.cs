using Akka.Actor;
using Naeural.Inference.Models;

namespace Naeural.Inference.Serving;

/// <summary>
/// The node's inference front: one <see cref="ModelServer"/> child per model, started on the first request that names it
/// (a plugin's <c>AI_ENGINE</c>) and gone once it has been idle for its timeout. Unknown models are answered at once.
/// </summary>
public sealed class InferenceService : ReceiveActor
{
    public const string Name = "inference";

    private readonly ModelCatalogue _catalogue;
    private readonly ModelServerSettings _settings;

    public InferenceService(ModelCatalogue catalogue, ModelServerSettings settings)
    {
        _catalogue = catalogue;
        _settings = settings;
        Receive<Infer>(request =>
        {
            if (ServerFor(request.Model) is { } server)
            {
                server.Forward(request);
            }
            else
            {
                Sender.Tell(new InferenceFailed(request.Model, $"unknown model '{request.Model}'; this node serves {string.Join(", ", _catalogue.Names)}"));
            }
        });
        Receive<GetModelServerStatsFor>(query =>
        {
            var server = Context.Child(ChildName(query.Model));
            if (!server.IsNobody())
            {
                server.Forward(GetModelServerStats.Instance);
            }
            else
            {
                Sender.Tell(new ModelServerStats(query.Model, "not running", 0, 0, 0, 0, 0, 0));
            }
        });
        Receive<GetLoadedModels>(_ => Sender.Tell(new LoadedModels([.. Context.GetChildren().Select(c => c.Path.Name).Order()])));
    }

    public static Props Props(ModelCatalogue catalogue, ModelServerSettings settings) =>
        Akka.Actor.Props.Create(() => new InferenceService(catalogue, settings));

    private IActorRef? ServerFor(string model)
    {
        var descriptor = _catalogue.Find(model);
        if (descriptor is null)
        {
            return null;
        }

        var child = Context.Child(ChildName(descriptor.Name));
        return child.IsNobody() ? Context.ActorOf(ModelServer.Props(descriptor, _settings), ChildName(descriptor.Name)) : child;
    }

    private static string ChildName(string model) => Uri.EscapeDataString(model.ToLowerInvariant());
}

/// <summary>Asks the service for one model server's counters.</summary>
public sealed record GetModelServerStatsFor(string Model);

/// <summary>Asks which models have a running server (what the heartbeat reports).</summary>
public sealed record GetLoadedModels
{
    public static GetLoadedModels Instance { get; } = new();
}

/// <summary>The models with a running server on this node.</summary>
public sealed record LoadedModels(System.Collections.Immutable.ImmutableArray<string> Models);
