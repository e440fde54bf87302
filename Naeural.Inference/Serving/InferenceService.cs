using Akka.Actor;
using Naeural.Actors.Inference;
using Naeural.Inference.Models;

namespace Naeural.Inference.Serving;

/// <summary>
/// The node's inference front: one <see cref="ModelServer"/> child per model, started on the first request that names it
/// (a plugin's <c>AI_ENGINE</c>) and gone once it has been idle for its timeout. Unknown models are answered at once.
/// </summary>
public sealed class InferenceService : ReceiveActor
{
    public const string Name = InferenceEndpoint.Name;

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
                Sender.Tell(new InferenceFailed(request.Model,
                    $"unknown model '{request.Model}'; this node serves {string.Join(", ", _catalogue.Names)}", request.CorrelationId));
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
        Receive<GetLoadedModels>(_ => Sender.Tell(new LoadedModels(Loaded())));
        Receive<Terminated>(_ => PublishLoaded());
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
        if (!child.IsNobody())
        {
            return child;
        }

        var server = Context.ActorOf(ModelServer.Props(descriptor, _settings), ChildName(descriptor.Name));
        Context.Watch(server);
        PublishLoaded();
        return server;
    }

    private System.Collections.Immutable.ImmutableArray<string> Loaded() =>
        [.. Context.GetChildren().Select(c => Uri.UnescapeDataString(c.Path.Name)).Order(StringComparer.Ordinal)];

    /// <summary>The node's heartbeat carries the models it serves (placement uses them).</summary>
    private void PublishLoaded() =>
        Context.ActorSelection("/user/" + Naeural.Actors.Network.ResourcePublisher.Name)
            .Tell(new Naeural.Actors.Network.LocalWorkloadChanged(Naeural.Actors.Network.WorkloadKind.Models, Loaded()));

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
