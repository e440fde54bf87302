using System.Runtime.CompilerServices;
using Akka.Actor;
using Akka.Actor.Setup;
using Akka.Configuration;
using Naeural.Actors.Security;
using Naeural.Actors.Serialization;

namespace Naeural.Actors.Edge;

/// <summary>Where a node's client edge listens, what it takes, and its TLS.</summary>
/// <param name="ClientTypes">The client protocol: what the edge's serializer takes (every other type is refused both ways).</param>
/// <param name="Tls">The node's TLS (its bound certificate; clients admitted by CA or pins), or null for plain TCP.</param>
/// <param name="Logging">Where the edge's logs go: the node's own logging (so what strangers at the client port cause is logged
/// like everything else the node logs: console, JSON, OTLP); null: Akka's stdout logger.</param>
/// <param name="WireFormat">The format the edge writes to clients (it reads both).</param>
public sealed record EdgeSystemOptions(string Hostname, string? PublicHostname, int Port, IReadOnlyList<Type> ClientTypes, long MaxMessageBytes,
    RemotingTls? Tls, string LogLevel = "WARNING", EdgeLogging? Logging = null, WireFormat WireFormat = WireFormat.Contract);

/// <summary>An Akka logger for the edge's system and the setup it needs (e.g. Akka.Hosting's logger-factory logger and its setup).</summary>
/// <param name="LoggerType">The logger's assembly-qualified type name, for <c>akka.loggers</c>.</param>
/// <param name="StdoutLoggerType">What writes Akka's lines while no logger is attached (before start, after stop), for
/// <c>akka.stdout-logger-class</c>; null: Akka's own text logger.</param>
public sealed record EdgeLogging(string LoggerType, Setup Setup, string? StdoutLoggerType = null);

/// <summary>
/// A node's client edge: an actor system of its own (<see cref="SystemName"/>), remote but no cluster member, on its own port,
/// whose serializer takes the client protocol only and whose one selectable actor is <see cref="ClientEdge"/>. Clients connect
/// here; the member port is for nodes. Akka.NET's serializer can't differ per association, so the separation is a
/// separate system: a client's association never reaches the member system, its serializer or its actors.
/// </summary>
public sealed class EdgeSystem : IAsyncDisposable
{
    /// <summary>The edge's actor system name (<c>akka.tcp://naeural-edge@host:4054</c>).</summary>
    public const string SystemName = "naeural-edge";

    /// <summary>The only daemon a client may select: the remote watcher (clients and edge watch each other's subscription actors).</summary>
    public static IReadOnlyList<string> InfrastructurePaths { get; } = ["/system/remote-watcher"];

    private static readonly ConditionalWeakTable<ActorSystem, IActorRef> EdgesOfNodes = [];

    private EdgeSystem(ActorSystem system, IActorRef edge)
    {
        System = system;
        Edge = edge;
    }

    /// <summary>The edge's actor system.</summary>
    public ActorSystem System { get; }

    /// <summary>The edge actor (what in-process clients of the node use for requests beyond the front door).</summary>
    public IActorRef Edge { get; }

    /// <summary>The address clients connect to (<c>akka.tcp://naeural-edge@host:port</c>, the bound port when 0 was asked).</summary>
    public Address Address => ((ExtendedActorSystem)System).Provider.DefaultAddress;

    /// <summary>The configuration of an edge system: remoting on its own port, the client protocol only, untrusted mode with only the edge selectable.</summary>
    public static Config Config(EdgeSystemOptions options)
    {
        var publicHostname = options.PublicHostname is { Length: > 0 } p ? $"akka.remote.dot-netty.tcp.public-hostname = \"{p}\"" : "";
        var loggers = options.Logging is not { } logging ? ""
            : $"akka.loggers = [\"{logging.LoggerType}\"]" + (logging.StdoutLoggerType is { } stdout ? $"\nakka.stdout-logger-class = \"{stdout}\"" : "");
        var config = ConfigurationFactory.ParseString($$"""
                akka.actor.provider = remote
                akka.remote.dot-netty.tcp { hostname = "{{options.Hostname}}", port = {{options.Port}} }
                {{publicHostname}}
                akka.loglevel = {{options.LogLevel}}
                {{loggers}}
                akka.remote.log-remote-lifecycle-events = off
                akka.coordinated-shutdown.exit-clr = off
                akka.coordinated-shutdown.run-by-clr-shutdown-hook = off
                """)
            .WithFallback(SerializationConfig.For(options.ClientTypes, [ClientEdge.Path], InfrastructurePaths, options.MaxMessageBytes, options.WireFormat,
                readsPreviousFormat: false));
        return options.Tls is null ? config : RemotingTls.Hocon.WithFallback(config);
    }

    /// <summary>Starts the edge's system and its <see cref="ClientEdge"/>, routing to <paramref name="routes"/>; registered for <see cref="Of"/>.</summary>
    public static EdgeSystem Start(EdgeSystemOptions options, EdgeRoutes routes, EdgeSettings settings)
    {
        var setup = ActorSystemSetup.Create(BootstrapSetup.Create().WithConfig(Config(options)));
        setup = options.Logging is null ? setup : setup.And(options.Logging.Setup);
        setup = options.Tls is null ? setup : setup.And(options.Tls.Setup());
        var system = ActorSystem.Create(SystemName, setup);
        var edge = system.ActorOf(ClientEdge.Props(routes, settings), ClientEdge.Name);
        EdgesOfNodes.AddOrUpdate(routes.Node, edge);
        // The edge lives no longer than its node.
        routes.Node.WhenTerminated.ContinueWith(_ => system.Terminate(), TaskScheduler.Default);
        return new EdgeSystem(system, edge);
    }

    /// <summary>The client edge of the node whose actor system is <paramref name="nodeSystem"/>, if it runs one.</summary>
    public static IActorRef? Of(ActorSystem nodeSystem) => EdgesOfNodes.TryGetValue(nodeSystem, out var edge) ? edge : null;

    public async ValueTask DisposeAsync() => await System.Terminate();
}
