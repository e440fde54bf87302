using Akka.Actor;
using Naeural.Actors.Hosting;
using Naeural.Actors.Inference;
using Naeural.Actors.Network;
using Naeural.Inference.Models;

namespace Naeural.Inference.Serving;

/// <summary>
/// The node's inference front: one <see cref="ModelServer"/> child per model, started on the first request that names it
/// (a plugin's <c>AI_ENGINE</c>) and gone once it has been idle for its timeout (or when no worker of it can serve). A server
/// that retires is sent nothing more and stopped after its mailbox (what reached it meanwhile comes back and goes to a fresh
/// server). Unknown models are answered at once.
/// </summary>
public sealed class InferenceService : ReceiveActor
{
    public const string Name = InferenceEndpoint.Name;

    private readonly ModelCatalogue _catalogue;
    private readonly ModelServerSettings _settings;
    private readonly Dictionary<string, IActorRef> _servers = new(StringComparer.OrdinalIgnoreCase);
    private long _generation;

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
            if (_servers.TryGetValue(query.Model, out var server))
            {
                server.Forward(GetModelServerStats.Instance);
            }
            else
            {
                Sender.Tell(new ModelServerStats(query.Model, "not running", 0, 0, 0, 0, 0, 0));
            }
        });
        Receive<GetLoadedModels>(_ => Sender.Tell(new LoadedModels(Loaded())));
        Receive<ModelServerRetiring>(retiring =>
        {
            if (_servers.TryGetValue(retiring.Model, out var server) && server.Equals(Sender))
            {
                _servers.Remove(retiring.Model);
                Sender.Tell(PoisonPill.Instance);
                PublishLoaded();
            }
        });
        Receive<Terminated>(terminated =>
        {
            foreach (var (model, _) in _servers.Where(s => s.Value.Equals(terminated.ActorRef)).ToList())
            {
                _servers.Remove(model);
            }

            PublishLoaded();
        });
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

        if (_servers.TryGetValue(descriptor.Name, out var running))
        {
            return running;
        }

        // A retiring server may still be draining under the model's name: each server gets a name of its own.
        var server = Context.ActorOf(ModelServer.Props(descriptor, _settings), $"{ChildName(descriptor.Name)}-{++_generation}");
        Context.Watch(server);
        _servers[descriptor.Name] = server;
        PublishLoaded();
        return server;
    }

    private System.Collections.Immutable.ImmutableArray<string> Loaded() =>
        [.. _servers.Keys.Order(StringComparer.Ordinal)];

    /// <summary>The node's heartbeat carries the models it serves (placement uses them).</summary>
    private void PublishLoaded() =>
        NodeActors.Find<ResourcePublisher>(Context.System)
            .Tell(new LocalWorkloadChanged(WorkloadKind.Models, Loaded()));

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
