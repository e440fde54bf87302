using Akka.Actor;
using Akka.Configuration;
using Naeural.Actors.Api;
using Naeural.Actors.Network;
using Naeural.Actors.Serialization;

namespace Naeural.Actors.Client;

/// <summary>
/// The developer's handle on the network. Get one from a node's own actor system (<see cref="ForNode"/>, or
/// <c>system.Naeural()</c>), or connect from any process to any node's address (<see cref="Connect"/>).
/// </summary>
public sealed class NaeuralClient : IAsyncDisposable
{
    private readonly ActorSelection _api;
    private readonly ActorSystem? _ownedSystem;
    private readonly ClientOptions _options;

    private NaeuralClient(ActorSelection api, ActorSystem? ownedSystem, ClientOptions options)
    {
        _api = api;
        _ownedSystem = ownedSystem;
        _options = options;
    }

    /// <summary>A client on a node's own actor system: requests go to that node.</summary>
    public static NaeuralClient ForNode(ActorSystem nodeSystem, ClientOptions? options = null) =>
        new(nodeSystem.ActorSelection(NodeApi.Path), null, options ?? new ClientOptions());

    /// <summary>
    /// A client in this process that talks to the node at <paramref name="nodeAddress"/>
    /// (e.g. <c>akka.tcp://naeural@127.0.0.1:4053</c>) over Akka remoting. Dispose it to stop its actor system.
    /// </summary>
    public static NaeuralClient Connect(string nodeAddress, ClientOptions? options = null)
    {
        options ??= new ClientOptions();
        var address = Address.Parse(nodeAddress);
        var config = ConfigurationFactory.ParseString($$"""
                akka.actor.provider = remote
                akka.remote.dot-netty.tcp { hostname = "{{options.Hostname}}", port = 0 }
                akka.loglevel = WARNING
                """)
            .WithFallback(SerializationConfig.For(KernelMessages.Types.Concat(options.ExtraMessageTypes)));
        var system = ActorSystem.Create("naeural-client", config);
        return new NaeuralClient(system.ActorSelection(new RootActorPath(address) / "user" / NodeApi.Name), system, options);
    }

    /// <summary>The network as the node sees it: every member and its resources.</summary>
    public Task<NetworkSnapshot> GetNodesAsync(CancellationToken cancellationToken = default) =>
        _api.Ask<NetworkSnapshot>(GetNodes.Instance, _options.RequestTimeout, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (_ownedSystem is not null)
        {
            await _ownedSystem.Terminate();
        }
    }
}

/// <summary>Gets a <see cref="NaeuralClient"/> from a node's actor system.</summary>
public static class NaeuralClientExtensions
{
    public static NaeuralClient Naeural(this ActorSystem nodeSystem, ClientOptions? options = null) =>
        NaeuralClient.ForNode(nodeSystem, options);
}
